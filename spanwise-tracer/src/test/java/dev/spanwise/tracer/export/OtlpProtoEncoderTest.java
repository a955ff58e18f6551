package dev.spanwise.tracer.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.TraceState;
import dev.spanwise.tracer.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Proves the hand-written encoder against protobuf-java parsing of the same bytes. */
class OtlpProtoEncoderTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracer tracer = Tracer.builder().serviceName("encoder-test")
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();

  @AfterEach
  void close() {
    tracer.close();
  }

  private static Map<String, AnyValue> map(List<KeyValue> attributes) {
    return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static ByteString traceIdBytes(SpanContext sc) {
    return ByteString.copyFrom(java.nio.ByteBuffer.allocate(16)
        .putLong(sc.traceIdHigh()).putLong(sc.traceIdLow()).array());
  }

  @Test
  void everyFieldSurvivesProtobufJavaParsing() throws Exception {
    SpanContext remote = SpanContext.createFromRemoteParent(0x0af7651916cd43ddL, 0x8448eb211c80319cL,
        0xb7ad6b7169203331L, (byte) 1, TraceState.parse("rojo=00f067aa0ba902b7"));
    Span parent = tracer.spanBuilder("server op").setParent(remote).setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", "GET").startSpan();
    Span child;
    try (Scope ignored = parent.makeCurrent()) {
      child = tracer.spanBuilder("naïve ✓ 𝄞").setSpanKind(SpanKind.CLIENT)
          .addLink(remote, Attributes.of("link.kind", "follows")).startSpan();
    }
    child.setAttribute("s", "v").setAttribute("b", true).setAttribute("l", -7L)
        .setAttribute("big", Long.MAX_VALUE).setAttribute("d", 2.5)
        .setAttribute("sa", new String[] {"x", "ü"}).setAttribute("la", new long[] {1, 300})
        .setAttribute("da", new double[] {0.25}).setAttribute("ba", new boolean[] {true, false})
        .setAttribute("long.text", "x".repeat(300));
    child.addEvent("product details fetched", Attributes.of("count", "3"));
    child.recordException(new IllegalStateException("bad"));
    child.setStatus(StatusCode.ERROR, "it failed");
    child.end();
    parent.setStatus(StatusCode.OK, null);
    parent.end();
    tracer.withScope("other.scope", null).startSpan("other").end();

    List<SpanData> spans = exporter.finishedSpans();
    byte[] bytes = new OtlpProtoEncoder().encode(spans);
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);

    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    ResourceSpans rs = request.getResourceSpans(0);
    assertThat(map(rs.getResource().getAttributesList()).get("service.name").getStringValue())
        .isEqualTo("encoder-test");
    assertThat(rs.getScopeSpansCount()).isEqualTo(2);
    ScopeSpans main = rs.getScopeSpans(0);
    assertThat(main.getScope().getName()).isEqualTo("dev.spanwise.tracer");
    assertThat(main.getScope().getVersion()).isNotEmpty();
    assertThat(rs.getScopeSpans(1).getScope().getName()).isEqualTo("other.scope");
    assertThat(rs.getScopeSpans(1).getScope().getVersion()).isEmpty();
    assertThat(main.getSpansCount()).isEqualTo(2);

    io.opentelemetry.proto.trace.v1.Span c = main.getSpans(0);
    io.opentelemetry.proto.trace.v1.Span p = main.getSpans(1);
    assertThat(c.getName()).isEqualTo("naïve ✓ 𝄞");
    assertThat(c.getTraceId()).isEqualTo(traceIdBytes(remote));
    assertThat(c.getSpanId().toByteArray()).hasSize(8);
    assertThat(c.getParentSpanId()).isEqualTo(p.getSpanId());
    assertThat(c.getTraceState()).isEqualTo("rojo=00f067aa0ba902b7");
    assertThat(c.getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(p.getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    SpanData childData = spans.get(0);
    assertThat(c.getStartTimeUnixNano()).isEqualTo(childData.startEpochNanos());
    assertThat(c.getEndTimeUnixNano()).isEqualTo(childData.endEpochNanos());
    Map<String, AnyValue> a = map(c.getAttributesList());
    assertThat(a.get("s").getStringValue()).isEqualTo("v");
    assertThat(a.get("b").getBoolValue()).isTrue();
    assertThat(a.get("l").getIntValue()).isEqualTo(-7L);
    assertThat(a.get("big").getIntValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(a.get("d").getDoubleValue()).isEqualTo(2.5);
    assertThat(a.get("sa").getArrayValue().getValuesList()).extracting(AnyValue::getStringValue)
        .containsExactly("x", "ü");
    assertThat(a.get("la").getArrayValue().getValuesList()).extracting(AnyValue::getIntValue)
        .containsExactly(1L, 300L);
    assertThat(a.get("da").getArrayValue().getValues(0).getDoubleValue()).isEqualTo(0.25);
    assertThat(a.get("ba").getArrayValue().getValuesList()).extracting(AnyValue::getBoolValue)
        .containsExactly(true, false);
    assertThat(a.get("long.text").getStringValue()).hasSize(300);
    assertThat(c.getEventsCount()).isEqualTo(2);
    assertThat(c.getEvents(0).getName()).isEqualTo("product details fetched");
    assertThat(c.getEvents(0).getTimeUnixNano()).isEqualTo(childData.events().get(0).epochNanos());
    assertThat(map(c.getEvents(1).getAttributesList()).get("exception.type").getStringValue())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(c.getLinksCount()).isEqualTo(1);
    assertThat(c.getLinks(0).getTraceId()).isEqualTo(traceIdBytes(remote));
    assertThat(c.getLinks(0).getSpanId()).isEqualTo(ByteString.copyFrom(
        java.nio.ByteBuffer.allocate(8).putLong(remote.spanId()).array()));
    assertThat(c.getLinks(0).getTraceState()).isEqualTo("rojo=00f067aa0ba902b7");
    assertThat(c.getLinks(0).getFlags()).isEqualTo(0x301);
    assertThat(c.getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(c.getStatus().getMessage()).isEqualTo("it failed");
    assertThat(c.getFlags()).isEqualTo(0x101); // sampled, parent is local
    assertThat(p.getFlags()).isEqualTo(0x301); // sampled, parent is remote
    assertThat(p.getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK);
    assertThat(map(p.getAttributesList()).get("http.request.method").getStringValue()).isEqualTo("GET");
    assertThat(c.getDroppedAttributesCount()).isZero();

    // the same bytes as protobuf-java would write for the parsed message
    assertThat(request.toByteArray()).isEqualTo(bytes);
  }

  @Test
  void droppedCountsAndEmptyStatusAreEncoded() throws Exception {
    Tracer limited = Tracer.builder().spanLimits(dev.spanwise.tracer.SpanLimits.builder()
        .maxAttributes(1).maxEvents(0).build())
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Span span = limited.startSpan("limited");
    span.setAttribute("a", 1L).setAttribute("b", 2L).addEvent("e");
    span.end();
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(
        new OtlpProtoEncoder().encode(exporter.finishedSpans()));
    io.opentelemetry.proto.trace.v1.Span s = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(s.getDroppedAttributesCount()).isEqualTo(1);
    assertThat(s.getDroppedEventsCount()).isEqualTo(1);
    assertThat(s.hasStatus()).isFalse();
    assertThat(s.getParentSpanId().isEmpty()).isTrue();
    assertThat(request.toByteArray()).isEqualTo(new OtlpProtoEncoder().encode(exporter.finishedSpans()));
    limited.close();
  }

  @Test
  void spanDataOtherThanTheTracersOwnIsEncodedToo() throws Exception {
    tracer.startSpan("x").end();
    SpanData original = exporter.finishedSpans().get(0);
    SpanData wrapper = (SpanData) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {SpanData.class},
        (proxy, method, args) -> method.invoke(original, args));
    byte[] viaInterface = new OtlpProtoEncoder().encode(List.of(wrapper));
    assertThat(viaInterface).isEqualTo(new OtlpProtoEncoder().encode(List.of(original)));
    assertThat(ExportTraceServiceRequest.parseFrom(viaInterface).getResourceSpans(0)
        .getScopeSpans(0).getSpans(0).getName()).isEqualTo("x");
  }

  @Test
  void baggageIsNotExported() {
    try (Scope ignored = Context.current().with(Baggage.empty().with("secret", "x")).makeCurrent()) {
      tracer.startSpan("b").end();
    }
    assertThat(new String(new OtlpProtoEncoder().encode(exporter.finishedSpans()),
        java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("secret");
  }
}
