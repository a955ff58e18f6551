package dev.spanwise.opentracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SimpleSpanProcessor;
import dev.spanwise.tracer.export.SpanData;
import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.contrib.tracerresolver.TracerResolver;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;
import io.opentracing.tag.Tags;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanwiseOpenTracerTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SpanwiseOpenTracer tracer = SpanwiseOpenTracer.create(Tracer.builder()
      .serviceName("ot-test").addSpanProcessor(SimpleSpanProcessor.create(exporter)).build());

  @AfterEach
  void close() {
    tracer.close();
    assertThat(tracer.activeSpan()).isNull();
  }

  @Test
  void seedProgramThroughOpenTracing() {
    Span span = tracer.buildSpan("user_request").start();
    try (Scope ignored = tracer.activateSpan(span)) {
      Span auth = tracer.buildSpan("auth_service").start();
      auth.log("authenticated");
      auth.finish();
      Span product = tracer.buildSpan("product_service").start();
      Tags.ERROR.set(product, true);
      product.log(Map.of("event", "product details fetched", "count", 3));
      product.finish();
    } finally {
      span.finish();
    }
    SpanData root = exporter.onlySpanNamed("user_request");
    SpanData auth = exporter.onlySpanNamed("auth_service");
    SpanData product = exporter.onlySpanNamed("product_service");
    assertThat(auth.parentSpanIdHex()).isEqualTo(root.spanId());
    assertThat(product.parentSpanIdHex()).isEqualTo(root.spanId());
    assertThat(auth.events().get(0).name()).isEqualTo("authenticated");
    assertThat(product.events().get(0).name()).isEqualTo("product details fetched");
    assertThat(product.events().get(0).attributes().get("count")).isEqualTo(3L);
    assertThat(product.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(auth.statusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void tagsKindsTimestampsAndErrorObjects() {
    Span span = tracer.buildSpan("op").withTag(Tags.SPAN_KIND, Tags.SPAN_KIND_SERVER)
        .withTag("n", 7).withTag("d", 0.5).withTag("b", true).withStartTimestamp(1_000_000L).start();
    span.setTag("http.status_code", 500).setOperationName("renamed");
    span.log(2_000_000L, Map.of("event", "error", "error.object", new IllegalStateException("x")));
    span.finish(3_000_000L);
    SpanData data = exporter.onlySpanNamed("renamed");
    assertThat(data.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(data.attributes().get("n")).isEqualTo(7L);
    assertThat(data.attributes().get("d")).isEqualTo(0.5);
    assertThat(data.attributes().get("b")).isEqualTo(true);
    assertThat(data.attributes().get("http.status_code")).isEqualTo(500L);
    assertThat(data.startEpochNanos()).isEqualTo(1_000_000_000L);
    assertThat(data.endEpochNanos()).isEqualTo(3_000_000_000L);
    assertThat(data.events().get(0).name()).isEqualTo("exception");
    assertThat(data.events().get(0).attributes().get("exception.type"))
        .isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void injectExtractWithBaggage() {
    Span parent = tracer.buildSpan("client").start();
    parent.setBaggageItem("user", "alice");
    Map<String, String> headers = new HashMap<>();
    tracer.inject(parent.context(), Format.Builtin.HTTP_HEADERS, new TextMapAdapter(headers));
    assertThat(headers).containsKeys("traceparent", "baggage");
    SpanContext extracted = tracer.extract(Format.Builtin.HTTP_HEADERS, new TextMapAdapter(headers));
    assertThat(extracted.toTraceId()).isEqualTo(parent.context().toTraceId());
    assertThat(extracted.toSpanId()).isEqualTo(parent.context().toSpanId());
    Span child = tracer.buildSpan("server").asChildOf(extracted).start();
    assertThat(child.getBaggageItem("user")).isEqualTo("alice");
    child.finish();
    parent.finish();
    assertThat(exporter.onlySpanNamed("server").hasRemoteParent()).isTrue();
    assertThat(tracer.extract(Format.Builtin.TEXT_MAP, new TextMapAdapter(Map.of()))).isNull();
  }

  @Test
  void activeSpanIsSharedWithTheSpanwiseApi() {
    Span span = tracer.buildSpan("ot").start();
    span.setBaggageItem("k", "v");
    try (Scope ignored = tracer.activateSpan(span)) {
      assertThat(tracer.activeSpan()).isSameAs(span);
      assertThat(dev.spanwise.tracer.Span.current().context().spanIdHex())
          .isEqualTo(span.context().toSpanId());
      assertThat(dev.spanwise.tracer.Baggage.current().get("k")).isEqualTo("v");
      dev.spanwise.tracer.Span native1 = tracer.unwrap().startSpan("native");
      native1.end();
      Span ignoring = tracer.buildSpan("root").ignoreActiveSpan().start();
      ignoring.finish();
    }
    span.finish();
    assertThat(exporter.onlySpanNamed("native").parentSpanIdHex()).isEqualTo(span.context().toSpanId());
    assertThat(exporter.onlySpanNamed("root").parentSpanId()).isZero();
  }

  @Test
  void followsFromBecomesParentWhenAloneAndLinkOtherwise() {
    Span a = tracer.buildSpan("a").start();
    Span b = tracer.buildSpan("b").start();
    Span c = tracer.buildSpan("c").addReference("follows_from", a.context())
        .asChildOf(b.context()).start();
    c.finish();
    SpanData data = exporter.onlySpanNamed("c");
    assertThat(data.parentSpanIdHex()).isEqualTo(b.context().toSpanId());
    assertThat(data.links()).hasSize(1);
    assertThat(data.links().get(0).spanContext().spanIdHex()).isEqualTo(a.context().toSpanId());
  }

  @Test
  void tracerResolverFindsTheFactory() {
    System.setProperty("otel.traces.exporter", "none");
    try {
      io.opentracing.Tracer resolved = TracerResolver.resolveTracer();
      assertThat(resolved).isInstanceOf(SpanwiseOpenTracer.class);
      resolved.close();
    } finally {
      System.clearProperty("otel.traces.exporter");
    }
  }
}
