package dev.spanwise.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.spanwise.sampling.internal.SamplingMetrics;
import io.jaegertracing.Configuration;
import io.jaegertracing.internal.JaegerSpan;
import io.jaegertracing.internal.JaegerTracer;
import io.jaegertracing.internal.reporters.InMemoryReporter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.extension.trace.jaeger.sampler.JaegerRemoteSampler;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients no one here wrote take their strategy from us: jaeger-client-java's remote sampler
 * over HTTP (it asks {@code /?service=}), the OpenTelemetry SDK's Jaeger remote sampler over
 * gRPC. Both servers are in-process on 127.0.0.1 and an ephemeral port.
 */
class RealClientsTest {
  static final List<String> JAEGER_PROPERTIES = List.of(
      "JAEGER_SERVICE_NAME", "JAEGER_SAMPLER_TYPE", "JAEGER_SAMPLER_MANAGER_HOST_PORT");

  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  SamplingStrategies strategies;
  Server server;

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("strategies.json");
    try (InputStream in = getClass().getResourceAsStream("/client-test-strategies.json")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    strategies = SamplingStrategies.builder().strategiesFile(file).meterRegistry(registry).build();
    ServerBuilder sb = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .gracefulShutdownTimeoutMillis(0, 0);
    strategies.httpService().configure(sb);
    strategies.grpcService().configure(sb);
    server = sb.build();
    server.start().join();
  }

  @AfterEach
  void stop() {
    JAEGER_PROPERTIES.forEach(System::clearProperty);
    server.stop();
    strategies.close();
  }

  /** A Jaeger tracer configured by {@code Configuration.fromEnv()} (system properties here). */
  JaegerTracer jaegerTracer(String service) {
    System.setProperty("JAEGER_SERVICE_NAME", service);
    System.setProperty("JAEGER_SAMPLER_TYPE", "remote");
    System.setProperty("JAEGER_SAMPLER_MANAGER_HOST_PORT",
        "127.0.0.1:" + server.activeLocalPort());
    return Configuration.fromEnv().getTracerBuilder()
        .withReporter(new InMemoryReporter())
        .build();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  static Map<String, Object> rootSpanTags(JaegerTracer tracer, String operation) {
    JaegerSpan span = tracer.buildSpan(operation).start();
    span.finish();
    return span.context().isSampled() ? span.getTags() : Map.of();
  }

  @Test
  void jaegerClientTakesPerOperationStrategies() throws Exception {
    try (JaegerTracer tracer = jaegerTracer("per-operation")) {
      // until the first poll the client samples at its initial 0.001 ("probabilistic", 0.001)
      await("the per-operation strategy", () ->
          Double.valueOf(1.0).equals(rootSpanTags(tracer, "always").get("sampler.param")));
      Map<String, Object> tags = rootSpanTags(tracer, "always");
      assertThat(tags).containsEntry("sampler.type", "probabilistic")
          .containsEntry("sampler.param", 1.0);
      // other operations get the served default probability 0: beyond what the client's
      // lower-bound limiter lets through first (sampler.type "lowerbound"), nothing is sampled
      for (int op = 0; op < 3; op++) {
        Object firstType = rootSpanTags(tracer, "other-" + op).get("sampler.type");
        assertThat(firstType).isIn(null, "lowerbound");
        for (int i = 0; i < 50; i++) {
          assertThat(tracer.buildSpan("other-" + op).start().context().isSampled())
              .as("an operation at the served default probability 0").isFalse();
        }
      }
    }
    assertThat(registry.get(SamplingMetrics.REQUESTS)
        .tag("protocol", "http_legacy").tag("outcome", "ok").counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void jaegerClientTakesProbabilisticAndRateLimitingStrategies() throws Exception {
    try (JaegerTracer tracer = jaegerTracer("everything")) {
      await("probabilistic 1.0", () ->
          Double.valueOf(1.0).equals(rootSpanTags(tracer, "op").get("sampler.param")));
      assertThat(rootSpanTags(tracer, "op")).containsEntry("sampler.type", "probabilistic");
    }
    try (JaegerTracer tracer = jaegerTracer("limited")) {
      await("rate limiting 2/s", () ->
          "ratelimiting".equals(rootSpanTags(tracer, "op").get("sampler.type")));
      assertThat(rootSpanTags(tracer, "op").get("sampler.param")).isIn(2.0, 2);
    }
  }

  @Test
  void jaegerClientGetsAdaptiveSamplingsLowerBound() throws Exception {
    server.stop();
    strategies.close();
    strategies = SamplingStrategies.builder().meterRegistry(registry).build();
    ServerBuilder sb = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .gracefulShutdownTimeoutMillis(0, 0);
    strategies.httpService().configure(sb);
    server = sb.build();
    server.start().join();
    try (JaegerTracer tracer = jaegerTracer("new-service")) {
      // an unseen service: per-operation, default 0.001, one trace a minute guaranteed per
      // operation; the first trace of a new operation is sampled by the lower bound
      int[] n = {0};
      await("the lower-bound sampler", () ->
          "lowerbound".equals(rootSpanTags(tracer, "op-" + n[0]++).get("sampler.type")));
    }
  }

  @Test
  void openTelemetryRemoteSamplerTakesItsStrategyOverGrpc() throws Exception {
    try (JaegerRemoteSampler sampler = JaegerRemoteSampler.builder()
        .setEndpoint("http://127.0.0.1:" + server.activeLocalPort())
        .setServiceName("per-operation")
        .setInitialSampler(Sampler.alwaysOff())
        .setPollingInterval(Duration.ofMillis(100))
        .build()) {
      await("the per-operation strategy", () -> decision(sampler, "always")
          == SamplingDecision.RECORD_AND_SAMPLE);
      for (int i = 0; i < 100; i++) {
        assertThat(decision(sampler, "always")).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decision(sampler, "other")).isEqualTo(SamplingDecision.DROP);
      }
      assertThat(sampler.getDescription()).contains("always");
    }
    assertThat(registry.get(SamplingMetrics.REQUESTS)
        .tag("protocol", "grpc").tag("outcome", "ok").counter().count())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void openTelemetryRemoteSamplerTakesARateLimit() throws Exception {
    try (JaegerRemoteSampler sampler = JaegerRemoteSampler.builder()
        .setEndpoint("http://127.0.0.1:" + server.activeLocalPort())
        .setServiceName("limited")
        .setInitialSampler(Sampler.alwaysOff())
        .setPollingInterval(Duration.ofMillis(100))
        .build()) {
      await("the rate limit", () -> sampler.getDescription().contains("RateLimiting"));
      assertThat(sampler.getDescription()).contains("2.0");
    }
  }

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  static SamplingDecision decision(Sampler sampler, String operation) {
    return sampler.shouldSample(Context.root(), TRACE_ID, operation, SpanKind.SERVER,
        Attributes.empty(), List.of()).getDecision();
  }
}
