package dev.spanwise.codec.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.jaeger.proto.Collector.PostSpansRequest;
import dev.spanwise.codec.jaeger.proto.Model;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class JaegerProtoDecoderTest {
  static final byte[] TRACE_ID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

  static ByteString spanId(long id) {
    return ByteString.copyFrom(dev.spanwise.model.SpanId.toBytes(id));
  }

  static Model.KeyValue str(String key, String value) {
    return Model.KeyValue.newBuilder().setKey(key).setVStr(value).build();
  }

  static Model.Span.Builder span(long id) {
    return Model.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(TRACE_ID))
        .setSpanId(spanId(id))
        .setOperationName("op" + id)
        .setFlags(1)
        .setStartTime(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456_789))
        .setDuration(Duration.newBuilder().setNanos(5_000));
  }

  static PostSpansRequest request(Model.Process process, Model.Span... spans) {
    Model.Batch.Builder batch = Model.Batch.newBuilder().addAllSpans(List.of(spans));
    if (process != null) batch.setProcess(process);
    return PostSpansRequest.newBuilder().setBatch(batch).build();
  }

  @Test
  void mapsASpanWithTheBatchProcess() {
    Model.Process process = Model.Process.newBuilder().setServiceName("frontend")
        .addTags(str("hostname", "h1")).build();
    Model.Span child = span(2)
        .addReferences(Model.SpanRef.newBuilder().setTraceId(ByteString.copyFrom(TRACE_ID))
            .setSpanId(spanId(1)).setRefType(Model.SpanRefType.CHILD_OF))
        .addReferences(Model.SpanRef.newBuilder().setTraceId(ByteString.copyFrom(TRACE_ID))
            .setSpanId(spanId(7)).setRefType(Model.SpanRefType.FOLLOWS_FROM))
        .addTags(str("span.kind", "producer"))
        .addTags(Model.KeyValue.newBuilder().setKey("error").setVType(Model.ValueType.BOOL)
            .setVBool(true))
        .addTags(Model.KeyValue.newBuilder().setKey("n").setVType(Model.ValueType.INT64)
            .setVInt64(42))
        .addTags(Model.KeyValue.newBuilder().setKey("f").setVType(Model.ValueType.FLOAT64)
            .setVFloat64(0.25))
        .addTags(Model.KeyValue.newBuilder().setKey("b").setVType(Model.ValueType.BINARY)
            .setVBinary(ByteString.copyFrom(new byte[] {7})))
        .addLogs(Model.Log.newBuilder()
            .setTimestamp(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(200_000_000))
            .addFields(str("event", "sent")).addFields(str("queue", "q1")))
        .build();

    DecodeResult result = JaegerProtoDecoder.decode(request(process, child));

    assertThat(result.hasRejections()).isFalse();
    Span span = result.spans().get(0);
    assertThat(span.traceId()).isEqualTo(TraceId.fromBytes(TRACE_ID));
    assertThat(span.spanId()).isEqualTo(2);
    assertThat(span.parentSpanId()).isEqualTo(1);
    assertThat(span.links()).containsExactly(SpanLink.of(TraceId.fromBytes(TRACE_ID), 7,
        Attributes.of("opentracing.ref_type", "follows_from")));
    assertThat(span.serviceName()).isEqualTo("frontend");
    assertThat(span.resource().attributes().getString("hostname")).isEqualTo("h1");
    assertThat(span.kind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(span.status()).isEqualTo(Status.ERROR);
    assertThat(span.attributes()).isEqualTo(Attributes.builder().put("n", 42L).put("f", 0.25)
        .put("b", AttributeValue.ofBytes(new byte[] {7})).build());
    assertThat(span.startEpochNanos()).isEqualTo(1_700_000_000_123_456_789L);
    assertThat(span.durationNanos()).isEqualTo(5_000);
    assertThat(span.events().get(0).name()).isEqualTo("sent");
    assertThat(span.events().get(0).attributes()).isEqualTo(Attributes.of("queue", "q1"));
    assertThat(span.events().get(0).epochNanos()).isEqualTo(1_700_000_000_200_000_000L);
    assertThat(span.flags()).isEqualTo(1);
  }

  @Test
  void aSpansOwnProcessWinsAndAnEmptyOneTakesTheBatchs() {
    Model.Process batch = Model.Process.newBuilder().setServiceName("batch-svc").build();
    Model.Span own = span(1)
        .setProcess(Model.Process.newBuilder().setServiceName("own-svc")).build();
    Model.Span empty = span(2).setProcess(Model.Process.getDefaultInstance()).build();
    Model.Span none = span(3).build();

    List<Span> spans = JaegerProtoDecoder.decode(request(batch, own, empty, none)).spans();

    assertThat(spans).extracting(Span::serviceName)
        .containsExactly("own-svc", "batch-svc", "batch-svc");
  }

  @Test
  void invalidIdsRejectOnlyThatSpan() {
    Model.Span good = span(1).build();
    Model.Span noSpanId = span(2).clearSpanId().build();
    Model.Span zeroTrace = span(3).setTraceId(ByteString.copyFrom(new byte[16])).build();

    DecodeResult result = JaegerProtoDecoder.decode(request(null, good, noSpanId, zeroTrace));

    assertThat(result.spans()).extracting(Span::spanId).containsExactly(1L);
    assertThat(result.rejectedSpans()).isEqualTo(2);
    assertThat(result.errorMessage()).isEqualTo("batch.spans[1].spanId: must be 8 bytes, was 0");
  }

  @Test
  void unknownTagTypeIsAnError() {
    Model.Span span = span(1)
        .addTags(Model.KeyValue.newBuilder().setKey("x").setVTypeValue(9)).build();
    assertThatThrownBy(() -> JaegerProtoDecoder.decode(request(null, span)))
        .isInstanceOf(CodecException.class)
        .hasMessage("batch.spans[0].tags[0].vType: unknown tag type 9 "
            + "(expected STRING, BOOL, INT64, FLOAT64 or BINARY)");
  }

  @Test
  void serializedRequestsDecodeTheSameAndGarbageIsRefused() {
    PostSpansRequest request = request(null, span(1).build());
    assertThat(JaegerProtoDecoder.decode(request.toByteArray()).spans())
        .isEqualTo(JaegerProtoDecoder.decode(request).spans());
    assertThatThrownBy(() -> JaegerProtoDecoder.decode(new byte[] {10, 100, 1}))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("body: not a jaeger.api_v2.PostSpansRequest");
  }
}
