package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.StatusCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters (OkHttp sender), over gRPC and HTTP/protobuf,
 * against our receivers: what they send must reach the pipeline intact.
 */
class OpenTelemetrySdkInteropIT {
  final FakePipeline pipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void otlpGrpcExporter() {
    server = new TestServer(
        new OtlpGrpcReceiver(pipeline, ReceiverLimits.defaults(), registry)::configure);
    exportTrace(uri -> OtlpGrpcSpanExporter.builder().setEndpoint(uri).build());
    assertTraceReceived();
  }

  @Test
  void otlpGrpcExporterWithGzip() {
    server = new TestServer(
        new OtlpGrpcReceiver(pipeline, ReceiverLimits.defaults(), registry)::configure);
    exportTrace(uri -> OtlpGrpcSpanExporter.builder().setEndpoint(uri).setCompression("gzip")
        .build());
    assertTraceReceived();
  }

  @Test
  void otlpHttpProtobufExporter() {
    server = new TestServer(
        new OtlpHttpReceiver(pipeline, ReceiverLimits.defaults(), registry)::configure);
    exportTrace(uri -> OtlpHttpSpanExporter.builder().setEndpoint(uri + "/v1/traces").build());
    assertTraceReceived();
  }

  @Test
  void otlpHttpProtobufExporterWithGzip() {
    server = new TestServer(
        new OtlpHttpReceiver(pipeline, ReceiverLimits.defaults(), registry)::configure);
    exportTrace(uri -> OtlpHttpSpanExporter.builder().setEndpoint(uri + "/v1/traces")
        .setCompression("gzip").build());
    assertTraceReceived();
  }

  String parentId;
  String childId;
  String traceId;

  /** A SERVER parent and an erroring CLIENT child with attributes and an event, exported. */
  void exportTrace(Function<String, SpanExporter> exporterFor) {
    SpanExporter exporter = exporterFor.apply(server.uri());
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "checkout"))))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    try {
      Tracer tracer = provider.get("interop-test", "1.0");
      io.opentelemetry.api.trace.Span parent = tracer.spanBuilder("GET /checkout")
          .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
          .setAttribute("http.request.method", "GET")
          .setAttribute("http.response.status_code", 500L)
          .startSpan();
      io.opentelemetry.api.trace.Span child = tracer.spanBuilder("SELECT carts")
          .setParent(Context.root().with(parent))
          .setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
          .setAttribute("db.system", "postgresql")
          .startSpan();
      child.addEvent("cache miss", Attributes.of(AttributeKey.stringKey("cache.key"), "cart:42"));
      child.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "connection refused");
      child.end();
      parent.end();
      traceId = parent.getSpanContext().getTraceId();
      parentId = parent.getSpanContext().getSpanId();
      childId = child.getSpanContext().getSpanId();

      CompletableResultCode flushed = provider.forceFlush().join(20, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).as("export succeeded").isTrue();
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  void assertTraceReceived() {
    List<Span> spans = pipeline.spans();
    assertThat(spans).hasSize(2);
    Span parent = spans.stream().filter(s -> s.name().equals("GET /checkout")).findFirst()
        .orElseThrow();
    Span child = spans.stream().filter(s -> s.name().equals("SELECT carts")).findFirst()
        .orElseThrow();

    assertThat(parent.traceId().toHex()).isEqualTo(traceId);
    assertThat(child.traceId().toHex()).isEqualTo(traceId);
    assertThat(SpanId.toHex(parent.spanId())).isEqualTo(parentId);
    assertThat(SpanId.toHex(child.spanId())).isEqualTo(childId);
    assertThat(parent.isRoot()).isTrue();
    assertThat(child.parentSpanId()).isEqualTo(parent.spanId());

    assertThat(parent.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(child.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(parent.serviceName()).isEqualTo("checkout");
    assertThat(child.resource().attributes().getString("telemetry.sdk.language"))
        .isEqualTo("java");
    assertThat(child.scope().name()).isEqualTo("interop-test");
    assertThat(child.scope().version()).isEqualTo("1.0");

    assertThat(parent.attributes().getString("http.request.method")).isEqualTo("GET");
    assertThat(parent.attributes().get("http.response.status_code").longValue()).isEqualTo(500);
    assertThat(child.attributes().getString("db.system")).isEqualTo("postgresql");

    assertThat(child.events()).hasSize(1);
    assertThat(child.events().get(0).name()).isEqualTo("cache miss");
    assertThat(child.events().get(0).attributes().getString("cache.key")).isEqualTo("cart:42");

    assertThat(child.status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(child.status().message()).isEqualTo("connection refused");
    assertThat(parent.status().code()).isEqualTo(StatusCode.UNSET);
    assertThat(child.endEpochNanos()).isGreaterThanOrEqualTo(child.startEpochNanos());
  }
}
