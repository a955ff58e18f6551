package dev.spanwise.tracer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.propagation.TextMapPropagator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

  @Test
  void defaults() {
    EnvironmentConfig c = EnvironmentConfig.parse(Map.of());
    assertThat(c.warnings()).isEmpty();
    assertThat(c.endpoint()).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(c.serviceName()).isNull();
    assertThat(c.sampler().description()).startsWith("ParentBased{root=AlwaysOnSampler");
    assertThat(c.propagator().fields()).containsExactly("traceparent", "tracestate", "baggage");
    assertThat(c.compression()).isEqualTo("none");
    assertThat(c.exportTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxQueueSize()).isEqualTo(2048);
    assertThat(c.maxExportBatchSize()).isEqualTo(512);
    assertThat(c.limits().maxAttributes()).isEqualTo(128);
  }

  @Test
  void otelVariables() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_SERVICE_NAME", "checkout");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,team=a%20b,service.name=ignored");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20xyz,x-tenant=t1");
    env.put("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "gzip");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
    env.put("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
    env.put("OTEL_TRACES_SAMPLER_ARG", "0.25");
    env.put("OTEL_PROPAGATORS", "tracecontext,baggage,b3multi,jaeger");
    env.put("OTEL_BSP_MAX_QUEUE_SIZE", "100");
    env.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10");
    env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
    env.put("OTEL_ATTRIBUTE_COUNT_LIMIT", "10");
    env.put("OTEL_SPAN_EVENT_COUNT_LIMIT", "5");
    env.put("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "64");
    EnvironmentConfig c = EnvironmentConfig.parse(env);
    assertThat(c.warnings()).isEmpty();
    assertThat(c.serviceName()).isEqualTo("checkout");
    assertThat(c.resourceAttributes()).containsEntry("team", "a b").containsEntry("deployment.environment", "prod");
    assertThat(c.endpoint()).isEqualTo("http://collector:4318/v1/traces");
    assertThat(c.headers()).containsEntry("Authorization", "Bearer xyz").containsEntry("x-tenant", "t1");
    assertThat(c.compression()).isEqualTo("gzip");
    assertThat(c.exportTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.sampler().description()).startsWith("ParentBased{root=TraceIdRatioBased{0.25}");
    assertThat(c.propagator().fields()).contains("traceparent", "baggage", "X-B3-TraceId", "uber-trace-id");
    assertThat(c.maxQueueSize()).isEqualTo(100);
    assertThat(c.maxExportBatchSize()).isEqualTo(10);
    assertThat(c.scheduleDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.limits().maxAttributes()).isEqualTo(10);
    assertThat(c.limits().maxAttributesPerEvent()).isEqualTo(10);
    assertThat(c.limits().maxEvents()).isEqualTo(5);
    assertThat(c.limits().maxAttributeValueLength()).isEqualTo(64);
  }

  @Test
  void tracesEndpointIsUsedAsIs() {
    EnvironmentConfig c = EnvironmentConfig.parse(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://b/custom/path"));
    assertThat(c.endpoint()).isEqualTo("https://b/custom/path");
  }

  @Test
  void jaegerVariablesAreHonouredAndOtelWins() {
    Map<String, String> env = new HashMap<>();
    env.put("JAEGER_SERVICE_NAME", "legacy");
    env.put("JAEGER_TAGS", "version=1.2,region=eu");
    env.put("JAEGER_SAMPLER_TYPE", "probabilistic");
    env.put("JAEGER_SAMPLER_PARAM", "0.5");
    env.put("JAEGER_PROPAGATION", "jaeger,b3");
    EnvironmentConfig jaeger = EnvironmentConfig.parse(env);
    assertThat(jaeger.warnings()).isEmpty();
    assertThat(jaeger.serviceName()).isEqualTo("legacy");
    assertThat(jaeger.resourceAttributes()).containsEntry("version", "1.2").containsEntry("region", "eu");
    assertThat(jaeger.sampler().description()).startsWith("ParentBased{root=TraceIdRatioBased{0.5}");
    assertThat(jaeger.propagator().fields()).containsExactly("uber-trace-id", "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled");

    env.put("OTEL_SERVICE_NAME", "modern");
    env.put("OTEL_TRACES_SAMPLER", "always_off");
    env.put("OTEL_PROPAGATORS", "tracecontext");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "version=2.0");
    EnvironmentConfig both = EnvironmentConfig.parse(env);
    assertThat(both.serviceName()).isEqualTo("modern");
    assertThat(both.sampler().description()).isEqualTo("AlwaysOffSampler");
    assertThat(both.propagator()).isSameAs(TextMapPropagator.w3cTraceContext());
    assertThat(both.resourceAttributes()).containsEntry("version", "2.0").containsEntry("region", "eu");
  }

  @Test
  void jaegerSamplerTypes() {
    assertThat(EnvironmentConfig.parse(Map.of("JAEGER_SAMPLER_TYPE", "const", "JAEGER_SAMPLER_PARAM", "0"))
        .sampler().description()).startsWith("ParentBased{root=AlwaysOffSampler");
    assertThat(EnvironmentConfig.parse(Map.of("JAEGER_SAMPLER_TYPE", "ratelimiting", "JAEGER_SAMPLER_PARAM", "3"))
        .sampler().description()).startsWith("ParentBased{root=RateLimitingSampler{3.0}");
    EnvironmentConfig remote = EnvironmentConfig.parse(Map.of("JAEGER_SAMPLER_TYPE", "remote",
        "JAEGER_SERVICE_NAME", "svc", "JAEGER_SAMPLING_ENDPOINT", "http://127.0.0.1:1/sampling"));
    assertThat(remote.sampler().description()).contains("JaegerRemoteSampler{http://127.0.0.1:1/sampling?service=svc");
  }

  @Test
  void badValuesWarnOnceNamingTheVariableAndFallBack() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_TRACES_SAMPLER", "sometimes");
    env.put("OTEL_BSP_MAX_QUEUE_SIZE", "lots");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url");
    env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "-5");
    env.put("OTEL_PROPAGATORS", "tracecontext,xray");
    env.put("OTEL_SDK_DISABLED", "maybe");
    env.put("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "-1");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "novalue");
    EnvironmentConfig c = EnvironmentConfig.parse(env);
    assertThat(c.warnings()).hasSize(9);
    for (String variable : env.keySet()) {
      assertThat(c.warnings()).filteredOn(w -> w.contains(variable + "=")).hasSize(1);
    }
    assertThat(c.sampler().description()).startsWith("ParentBased{root=AlwaysOnSampler");
    assertThat(c.maxQueueSize()).isEqualTo(2048);
    assertThat(c.endpoint()).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(c.compression()).isEqualTo("none");
    assertThat(c.exportTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.propagator()).isSameAs(TextMapPropagator.w3cTraceContext());
    assertThat(c.disabled()).isFalse();
    assertThat(c.limits().maxAttributes()).isEqualTo(128);
  }

  @Test
  void disabledSdkRecordsNothing() {
    dev.spanwise.tracer.Tracer tracer = dev.spanwise.tracer.Tracer.fromEnv(Map.of("OTEL_SDK_DISABLED", "true"));
    assertThat(tracer.startSpan("x").isRecording()).isFalse();
    tracer.close();
  }

  @Test
  void systemPropertiesOverlayTheEnvironment() {
    System.setProperty("otel.service.name", "from-property");
    try {
      assertThat(EnvironmentConfig.processEnvironment()).containsEntry("OTEL_SERVICE_NAME", "from-property");
    } finally {
      System.clearProperty("otel.service.name");
    }
  }
}
