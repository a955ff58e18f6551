package dev.spanwise.codec.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.TestSpans;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpTraceCodecTest {
  static final byte[] TRACE_ID = hex("5af7183fb1d4cf5f463acd0b1e5f2a7c");
  static final byte[] SPAN_ID = hex("1111111111111111");

  @Test
  void roundTripsEverySpanFeatureThroughBytes() {
    List<Span> spans = TestSpans.trace();
    byte[] bytes = OtlpTraceEncoder.encode(spans).toByteArray();

    DecodeResult result = OtlpTraceDecoder.decode(bytes);

    assertThat(result.rejectedSpans()).isZero();
    assertThat(result.errorMessage()).isEmpty();
    assertThat(result.spans()).containsExactlyElementsOf(spans);
  }

  @Test
  void tracesDataAndExportRequestShareTheWireLayout() {
    List<Span> spans = TestSpans.trace();
    assertThat(OtlpTraceEncoder.toTracesData(spans).toByteArray())
        .isEqualTo(OtlpTraceEncoder.encode(spans).toByteArray())
        .isEqualTo(OtlpTraceEncoder.encodeToBytes(spans));
    assertThat(OtlpTraceDecoder.decode(OtlpTraceEncoder.toTracesData(spans)).spans())
        .containsExactlyElementsOf(spans);
  }

  /**
   * The hand-written writer encodes each string to UTF-8 itself: multi-byte characters, an empty
   * attribute value (written, unlike an empty optional field) and an unpaired surrogate (written
   * as {@code ?}, as protobuf does) come out as the generated classes write them.
   */
  @Test
  void writesEveryKindOfStringAsTheGeneratedClassesDo() {
    Span span = TestSpans.richRoot().toBuilder()
        .name("GET /café/日本/😀")
        .attributes(Attributes.builder()
            .put("empty", "")
            .put("clé", "välue 😀")
            .put("broken", "a\uD800b")
            .put("list", AttributeValue.ofArray(List.of(AttributeValue.of(""),
                AttributeValue.of("ü"))))
            .build())
        .build();
    List<Span> spans = List.of(span, TestSpans.child());
    assertThat(OtlpTraceEncoder.encodeToBytes(spans))
        .isEqualTo(OtlpTraceEncoder.toTracesData(spans).toByteArray());
    assertThat(OtlpTraceDecoder.decode(OtlpTraceEncoder.encodeToBytes(spans)).spans().get(0)
        .attributes().get("broken").stringValue()).isEqualTo("a?b");
  }

  @Test
  void encodesTheFieldsTheGeneratedClassesRead() throws Exception {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(
        OtlpTraceEncoder.encode(List.of(TestSpans.richRoot())).toByteArray());

    ResourceSpans rs = request.getResourceSpans(0);
    assertThat(rs.getResource().getAttributesList()).extracting(KeyValue::getKey)
        .containsExactly("service.name", "host.name", "process.pid");
    assertThat(rs.getResource().getDroppedAttributesCount()).isEqualTo(3);
    ScopeSpans ss = rs.getScopeSpans(0);
    assertThat(ss.getScope().getName()).isEqualTo("io.example.http");
    assertThat(ss.getScope().getVersion()).isEqualTo("1.2.3");
    io.opentelemetry.proto.trace.v1.Span span = ss.getSpans(0);
    assertThat(span.getTraceId().toByteArray()).isEqualTo(TRACE_ID);
    assertThat(span.getSpanId().toByteArray()).isEqualTo(SPAN_ID);
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    assertThat(span.getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(span.getStatus().getMessage()).isEqualTo("payment declined");
    assertThat(span.getTraceState()).isEqualTo("vendor=abc,other=1");
    assertThat(span.getFlags()).isEqualTo(1);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(TestSpans.START);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(TestSpans.START + 250_000_000L);
    assertThat(span.getDroppedAttributesCount()).isEqualTo(4);
    assertThat(span.getDroppedEventsCount()).isEqualTo(5);
    assertThat(span.getDroppedLinksCount()).isEqualTo(6);
    assertThat(attribute(span, "http.response.status_code").getIntValue()).isEqualTo(500);
    assertThat(attribute(span, "ratio").getDoubleValue()).isEqualTo(0.25);
    assertThat(attribute(span, "cached").hasBoolValue()).isTrue();
    assertThat(attribute(span, "blob").getBytesValue().toByteArray())
        .containsExactly(1, 2, 3, 0xff);
    assertThat(attribute(span, "tags").getArrayValue().getValuesList())
        .extracting(AnyValue::getValueCase)
        .containsExactly(AnyValue.ValueCase.STRING_VALUE, AnyValue.ValueCase.INT_VALUE,
            AnyValue.ValueCase.BOOL_VALUE);
    assertThat(attribute(span, "nested").getKvlistValue().getValues(0).getKey()).isEqualTo("inner");
    assertThat(span.getEvents(0).getName()).isEqualTo("exception");
    assertThat(span.getEvents(0).getDroppedAttributesCount()).isEqualTo(1);
    assertThat(span.getLinks(0).getSpanId().toByteArray()).isEqualTo(hex("0a0b0c0d0e0f1011"));
    assertThat(span.getLinks(0).getFlags()).isEqualTo(1);
    assertThat(span.getLinks(0).getTraceState()).isEqualTo("k=v");
  }

  @Test
  void decodesARequestBuiltWithTheGeneratedClasses() {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("cart"))))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                    .setName("lib").setVersion("2"))
                .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(TRACE_ID))
                    .setSpanId(ByteString.copyFrom(SPAN_ID))
                    .setParentSpanId(ByteString.copyFrom(hex("00000000000000ff")))
                    .setName("add item")
                    .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER)
                    .setStartTimeUnixNano(10)
                    .setEndTimeUnixNano(30)
                    .addAttributes(kv("count", AnyValue.newBuilder().setIntValue(3).build()))
                    .addAttributes(kv("nothing", AnyValue.getDefaultInstance()))
                    .addAttributes(kv("list", AnyValue.newBuilder().setArrayValue(
                        ArrayValue.newBuilder().addValues(str("x"))).build()))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)))))
        .build();

    Span span = OtlpTraceDecoder.decode(request).spans().get(0);

    assertThat(span.serviceName()).isEqualTo("cart");
    assertThat(span.scope()).isEqualTo(InstrumentationScope.of("lib", "2"));
    assertThat(span.traceId()).isEqualTo(TestSpans.TRACE_ID);
    assertThat(span.spanId()).isEqualTo(TestSpans.ROOT_ID);
    assertThat(span.parentSpanId()).isEqualTo(0xff);
    assertThat(span.kind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(span.durationNanos()).isEqualTo(20);
    assertThat(span.attributes().get("count")).isEqualTo(AttributeValue.of(3L));
    assertThat(span.attributes().get("nothing")).as("empty AnyValue is OTLP's null").isNull();
    assertThat(span.attributes().get("list").arrayValue()).containsExactly(AttributeValue.of("x"));
    assertThat(span.status().code()).isEqualTo(StatusCode.OK);
  }

  @Test
  void groupsSpansByResourceThenScopeInFirstSeenOrder() {
    Span a = TestSpans.child();
    Span b = a.toBuilder().spanId(3).scope(InstrumentationScope.of("other", "")).build();
    Span c = TestSpans.richRoot();
    Span d = a.toBuilder().spanId(4).resource(dev.spanwise.model.Resource.ofServiceName("backend"))
        .build(); // equal resource, another instance

    ExportTraceServiceRequest request = OtlpTraceEncoder.encode(List.of(a, b, c, d));

    assertThat(request.getResourceSpansCount()).isEqualTo(2);
    ResourceSpans backend = request.getResourceSpans(0);
    assertThat(backend.getScopeSpansCount()).isEqualTo(2);
    assertThat(backend.getScopeSpans(0).getSpansList())
        .extracting(s -> s.getSpanId().byteAt(7)).containsExactly((byte) 0x22, (byte) 4);
    assertThat(backend.getScopeSpans(1).getScope().getName()).isEqualTo("other");
    assertThat(request.getResourceSpans(1).getScopeSpans(0).getSpansCount()).isEqualTo(1);
    assertThat(OtlpTraceDecoder.decode(request).spans()).containsExactlyInAnyOrder(a, b, c, d);
  }

  @Test
  void rejectsBadSpansButKeepsTheGoodOnes() {
    io.opentelemetry.proto.trace.v1.Span good = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(TRACE_ID)).setSpanId(ByteString.copyFrom(SPAN_ID))
        .setStartTimeUnixNano(1).setEndTimeUnixNano(2).build();
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(good))
            .addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(good)
                .addSpans(good)
                .addSpans(good)
                .addSpans(good.toBuilder().setTraceId(ByteString.copyFrom(new byte[8])))
                .addSpans(good.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])))
                .addSpans(good.toBuilder().setSpanId(ByteString.copyFrom(new byte[8])))
                .addSpans(good.toBuilder().setSpanId(ByteString.copyFrom(new byte[4])))
                .addSpans(good.toBuilder().setStartTimeUnixNano(5))
                .addSpans(good.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[3])))
                .addSpans(good.toBuilder().addLinks(
                    io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                        .setTraceId(ByteString.copyFrom(TRACE_ID)))))
        ).build();

    DecodeResult result = OtlpTraceDecoder.decode(request.toByteArray());

    assertThat(result.spans()).hasSize(4);
    assertThat(result.rejectedSpans()).isEqualTo(7);
    assertThat(result.hasRejections()).isTrue();
    assertThat(result.errorMessage())
        .isEqualTo("resourceSpans[0].scopeSpans[1].spans[3].traceId: must be 16 bytes, was 8");
  }

  @Test
  void namesEachKindOfRejection() {
    io.opentelemetry.proto.trace.v1.Span good = io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(TRACE_ID)).setSpanId(ByteString.copyFrom(SPAN_ID))
        .setStartTimeUnixNano(1).setEndTimeUnixNano(2).build();
    assertThat(firstError(good.toBuilder().setTraceId(ByteString.copyFrom(new byte[16]))))
        .isEqualTo("resourceSpans[0].scopeSpans[0].spans[0].traceId: must not be all zero");
    assertThat(firstError(good.toBuilder().setSpanId(ByteString.EMPTY)))
        .endsWith("spans[0].spanId: must be 8 bytes, was 0");
    assertThat(firstError(good.toBuilder().setSpanId(ByteString.copyFrom(new byte[8]))))
        .endsWith("spans[0].spanId: must not be all zero");
    assertThat(firstError(good.toBuilder().setStartTimeUnixNano(5)))
        .endsWith("spans[0].endTimeUnixNano: 2 is before startTimeUnixNano 5");
    assertThat(firstError(good.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[3]))))
        .endsWith("spans[0].parentSpanId: must be 8 bytes or empty, was 3");
    assertThat(firstError(good.toBuilder().addLinks(
        io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[2])))))
        .endsWith("spans[0].links[0].traceId: must be 16 bytes, was 2");
  }

  @Test
  void notProtobufIsACodecException() {
    assertThatThrownBy(() -> OtlpTraceDecoder.decode(new byte[] {(byte) 0x0a, (byte) 0xff, 1}))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("body is not a valid OTLP protobuf trace message");
    assertThatThrownBy(() -> OtlpTraceDecoder.decode("{\"resourceSpans\":[]}".getBytes()))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void emptyBodyIsAnEmptyRequest() {
    DecodeResult result = OtlpTraceDecoder.decode(new byte[0]);
    assertThat(result.spans()).isEmpty();
    assertThat(result.rejectedSpans()).isZero();
  }

  private static String firstError(io.opentelemetry.proto.trace.v1.Span.Builder span) {
    TracesData data = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build();
    DecodeResult result = OtlpTraceDecoder.decode(data);
    assertThat(result.rejectedSpans()).isEqualTo(1);
    return result.errorMessage();
  }

  private static AnyValue attribute(io.opentelemetry.proto.trace.v1.Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst()
        .orElseThrow().getValue();
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
