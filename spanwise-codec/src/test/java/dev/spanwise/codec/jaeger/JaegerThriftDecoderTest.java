package dev.spanwise.codec.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.jaeger.JaegerThriftDecoder.Protocol;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.StatusCode;
import dev.spanwise.model.TraceId;
import io.jaegertracing.agent.thrift.Agent;
import io.jaegertracing.internal.JaegerSpan;
import io.jaegertracing.internal.JaegerTracer;
import io.jaegertracing.internal.reporters.InMemoryReporter;
import io.jaegertracing.internal.samplers.ConstSampler;
import io.jaegertracing.thrift.internal.reporters.protocols.JaegerThriftSpanConverter;
import io.jaegertracing.thriftjava.Batch;
import io.jaegertracing.thriftjava.Log;
import io.jaegertracing.thriftjava.Process;
import io.jaegertracing.thriftjava.SpanRef;
import io.jaegertracing.thriftjava.SpanRefType;
import io.jaegertracing.thriftjava.Tag;
import io.jaegertracing.thriftjava.TagType;
import io.opentracing.References;
import io.opentracing.tag.Tags;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

/**
 * Golden payloads made in the test by the real Jaeger Java client (its tracer, its span converter
 * and its generated {@code jaeger.thrift} classes), plus hand-written bytes for what a client
 * would never send.
 */
class JaegerThriftDecoderTest {

  /** The seed program's trace, recorded by the Jaeger client, as Thrift spans and process. */
  static final class Recorded {
    final JaegerTracer tracer;
    final List<JaegerSpan> spans;
    final Batch batch;

    Recorded(boolean traceId128Bit) {
      InMemoryReporter reporter = new InMemoryReporter();
      JaegerTracer.Builder builder = new JaegerTracer.Builder("shop")
          .withReporter(reporter)
          .withSampler(new ConstSampler(true))
          .withTag("deployment", "test");
      if (traceId128Bit) builder.withTraceId128Bit();
      tracer = builder.build();
      JaegerSpan root = tracer.buildSpan("user_request")
          .withTag(Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_SERVER)
          .withStartTimestamp(1_700_000_000_000_000L)
          .start();
      JaegerSpan auth = tracer.buildSpan("auth_service").asChildOf(root)
          .withStartTimestamp(1_700_000_000_000_100L).start();
      auth.log(1_700_000_000_000_150L, Map.of("event", "authenticated", "user", "alice"));
      auth.finish(1_700_000_000_000_300L);
      JaegerSpan product = tracer.buildSpan("product_service").asChildOf(root)
          .addReference(References.FOLLOWS_FROM, auth.context())
          .withTag(Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_CLIENT)
          .withTag("retries", 2)
          .withTag("ratio", 0.5)
          .withStartTimestamp(1_700_000_000_000_400L).start();
      Tags.ERROR.set(product, true);
      product.log(1_700_000_000_000_500L, Map.of("event", "product details fetched"));
      product.log(1_700_000_000_000_550L, "no event field");
      product.finish(1_700_000_000_000_900L);
      root.finish(1_700_000_000_001_000L);
      spans = reporter.getSpans();
      List<io.jaegertracing.thriftjava.Span> thriftSpans = new ArrayList<>();
      for (JaegerSpan span : spans) thriftSpans.add(JaegerThriftSpanConverter.convertSpan(span));
      Process process = new Process(tracer.getServiceName())
          .setTags(JaegerThriftSpanConverter.buildTags(tracer.tags()));
      batch = new Batch(process, thriftSpans);
    }

    JaegerSpan span(String name) {
      return spans.stream().filter(s -> s.getOperationName().equals(name)).findFirst().get();
    }
  }

  static byte[] binary(Batch batch) throws TException {
    return new TSerializer(new TBinaryProtocol.Factory()).serialize(batch);
  }

  static byte[] emitBatch(Batch batch, Protocol protocol) throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(1024);
    TProtocol out = protocol == Protocol.COMPACT
        ? new TCompactProtocol(buffer) : new TBinaryProtocol(buffer);
    new Agent.Client(out).emitBatch(batch);
    return Arrays.copyOf(buffer.getArray(), buffer.length());
  }

  static Span byName(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void decodesTheJaegerClientsBatch() throws Exception {
    Recorded recorded = new Recorded(false);
    DecodeResult result = JaegerThriftDecoder.decodeBatch(binary(recorded.batch));

    assertThat(result.hasRejections()).isFalse();
    assertThat(result.spans()).hasSize(3);
    Span root = byName(result.spans(), "user_request");
    Span auth = byName(result.spans(), "auth_service");
    Span product = byName(result.spans(), "product_service");

    // process: service.name first, then the process tags as the client sent them
    Resource resource = root.resource();
    assertThat(resource.attributes().key(0)).isEqualTo("service.name");
    assertThat(resource.serviceName()).isEqualTo("shop");
    assertThat(resource.attributes().getString("deployment")).isEqualTo("test");
    assertThat(resource.attributes().getString("jaeger.version")).startsWith("Java-");
    assertThat(resource.attributes().get("hostname")).isNotNull();

    // 64-bit trace id: the high half is zero
    JaegerSpan jaegerRoot = recorded.span("user_request");
    assertThat(root.traceId()).isEqualTo(TraceId.of(0, jaegerRoot.context().getTraceIdLow()));
    assertThat(root.spanId()).isEqualTo(jaegerRoot.context().getSpanId());
    assertThat(root.isRoot()).isTrue();
    assertThat(auth.parentSpanId()).isEqualTo(root.spanId());
    assertThat(auth.traceId()).isEqualTo(root.traceId());

    // span.kind tag -> kind, and gone from the attributes
    assertThat(root.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(product.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(auth.kind()).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(product.attributes().get("span.kind")).isNull();

    // error=true -> ERROR status, and gone from the attributes
    assertThat(product.status()).isEqualTo(Status.ERROR);
    assertThat(product.attributes().get("error")).isNull();
    assertThat(auth.status()).isEqualTo(Status.UNSET);

    // typed tags
    assertThat(product.attributes().get("retries")).isEqualTo(AttributeValue.of(2L));
    assertThat(product.attributes().get("ratio")).isEqualTo(AttributeValue.of(0.5));

    // sampler.type / sampler.param on the root stay attributes
    assertThat(root.attributes().getString("sampler.type")).isEqualTo("const");
    assertThat(root.attributes().get("sampler.param")).isEqualTo(AttributeValue.of(true));

    // microseconds -> nanoseconds
    assertThat(root.startEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(root.endEpochNanos()).isEqualTo(1_700_000_000_001_000_000L);
    assertThat(auth.durationNanos()).isEqualTo(200_000L);

    // logs -> events: the event field is the name, the other fields attributes
    assertThat(auth.events()).hasSize(1);
    assertThat(auth.events().get(0).name()).isEqualTo("authenticated");
    assertThat(auth.events().get(0).epochNanos()).isEqualTo(1_700_000_000_000_150_000L);
    assertThat(auth.events().get(0).attributes()).isEqualTo(Attributes.of("user", "alice"));
    assertThat(product.events().get(0).name()).isEqualTo("product details fetched");
    assertThat(product.events().get(0).attributes().isEmpty()).isTrue();
    // the client logs a bare message as an "event" field, so it becomes the name
    assertThat(product.events().get(1).name()).isEqualTo("no event field");

    // FOLLOWS_FROM -> a link with opentracing.ref_type; flags: sampled
    assertThat(product.parentSpanId()).isEqualTo(root.spanId());
    assertThat(product.links()).containsExactly(SpanLink.of(auth.traceId(), auth.spanId(),
        Attributes.of("opentracing.ref_type", "follows_from")));
    assertThat(root.flags() & 1).isEqualTo(1);
  }

  @Test
  void decodes128BitTraceIds() throws Exception {
    Recorded recorded = new Recorded(true);
    DecodeResult result = JaegerThriftDecoder.decodeBatch(binary(recorded.batch));
    JaegerSpan jaegerRoot = recorded.span("user_request");
    assertThat(jaegerRoot.context().getTraceIdHigh()).isNotZero();
    Span root = byName(result.spans(), "user_request");
    assertThat(root.traceId()).isEqualTo(TraceId.of(
        jaegerRoot.context().getTraceIdHigh(), jaegerRoot.context().getTraceIdLow()));
    assertThat(byName(result.spans(), "auth_service").traceId()).isEqualTo(root.traceId());
  }

  @Test
  void decodesEmitBatchInCompactAndBinary() throws Exception {
    Recorded recorded = new Recorded(false);
    List<Span> expected = JaegerThriftDecoder.decodeBatch(binary(recorded.batch)).spans();
    for (Protocol protocol : Protocol.values()) {
      DecodeResult result =
          JaegerThriftDecoder.decodeEmitBatch(emitBatch(recorded.batch, protocol), protocol);
      assertThat(result.spans()).as(protocol.name()).isEqualTo(expected);
    }
  }

  @Test
  void emitBatchInTheWrongProtocolIsAnError() throws Exception {
    byte[] compact = emitBatch(new Recorded(false).batch, Protocol.COMPACT);
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeEmitBatch(compact, Protocol.BINARY))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void emitZipkinBatchIsRefusedByName() throws Exception {
    TMemoryBuffer buffer = new TMemoryBuffer(64);
    TCompactProtocol out = new TCompactProtocol(buffer);
    out.writeMessageBegin(new org.apache.thrift.protocol.TMessage(
        "emitZipkinBatch", org.apache.thrift.protocol.TMessageType.ONEWAY, 1));
    out.writeStructBegin(new TStruct("args"));
    out.writeFieldStop();
    out.writeStructEnd();
    out.writeMessageEnd();
    byte[] bytes = Arrays.copyOf(buffer.getArray(), buffer.length());
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeEmitBatch(bytes, Protocol.COMPACT))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("emitZipkinBatch");
  }

  static io.jaegertracing.thriftjava.Span span(long traceIdHigh, long traceIdLow, long spanId) {
    return new io.jaegertracing.thriftjava.Span(
        traceIdLow, traceIdHigh, spanId, 0, "op", 1, 1_000_000L, 250L);
  }

  static Tag tag(String key, String value) {
    return new Tag(key, TagType.STRING).setVStr(value);
  }

  static Span decodeOne(io.jaegertracing.thriftjava.Span span) throws TException {
    DecodeResult result = JaegerThriftDecoder.decodeBatch(
        binary(new Batch(new Process("svc"), List.of(span))));
    assertThat(result.hasRejections()).as(result.errorMessage()).isFalse();
    return result.spans().get(0);
  }

  @Test
  void otelStatusCodeWinsOverErrorAndCarriesTheDescription() throws Exception {
    Span span = decodeOne(span(0, 1, 2).setTags(List.of(
        new Tag("error", TagType.BOOL).setVBool(true),
        tag("otel.status_code", "OK"))));
    assertThat(span.status()).isEqualTo(Status.OK);
    assertThat(span.attributes().isEmpty()).isTrue();

    span = decodeOne(span(0, 1, 2).setTags(List.of(
        tag("otel.status_code", "ERROR"), tag("otel.status_description", "card declined"))));
    assertThat(span.status()).isEqualTo(Status.of(StatusCode.ERROR, "card declined"));
    assertThat(span.attributes().isEmpty()).isTrue();

    span = decodeOne(span(0, 1, 2).setTags(List.of(
        new Tag("error", TagType.BOOL).setVBool(false))));
    assertThat(span.status()).isEqualTo(Status.UNSET);
    assertThat(span.attributes().get("error")).isEqualTo(AttributeValue.of(false));
  }

  @Test
  void scopeTraceStateAndEveryTagType() throws Exception {
    Span span = decodeOne(span(0, 1, 2).setTags(List.of(
        tag("otel.scope.name", "io.opentelemetry.jdbc"),
        tag("otel.scope.version", "1.2.0"),
        tag("w3c.tracestate", "vendor=abc"),
        tag("s", "text"),
        new Tag("d", TagType.DOUBLE).setVDouble(1.5),
        new Tag("b", TagType.BOOL).setVBool(true),
        new Tag("l", TagType.LONG).setVLong(Long.MAX_VALUE),
        new Tag("bin", TagType.BINARY).setVBinary(new byte[] {1, 2, 3}))));
    assertThat(span.scope()).isEqualTo(InstrumentationScope.of("io.opentelemetry.jdbc", "1.2.0"));
    assertThat(span.traceState()).isEqualTo("vendor=abc");
    assertThat(span.attributes()).isEqualTo(Attributes.builder()
        .put("s", "text").put("d", 1.5).put("b", true).put("l", Long.MAX_VALUE)
        .put("bin", AttributeValue.ofBytes(new byte[] {1, 2, 3})).build());
  }

  @Test
  void referencesFollowTheTranslator() throws Exception {
    // no parentSpanId: the first CHILD_OF within the trace is the parent, the others are links
    Span span = decodeOne(span(0, 1, 2).setReferences(List.of(
        new SpanRef(SpanRefType.CHILD_OF, 9, 0, 7), // another trace: a link
        new SpanRef(SpanRefType.CHILD_OF, 1, 0, 3),
        new SpanRef(SpanRefType.FOLLOWS_FROM, 1, 0, 4))));
    assertThat(span.parentSpanId()).isEqualTo(3);
    assertThat(span.links()).containsExactly(
        SpanLink.of(TraceId.of(0, 9), 7, Attributes.of("opentracing.ref_type", "child_of")),
        SpanLink.of(TraceId.of(0, 1), 4, Attributes.of("opentracing.ref_type", "follows_from")));

    // only FOLLOWS_FROM within the trace: it is the parent and stays a link
    span = decodeOne(span(0, 1, 2).setReferences(List.of(
        new SpanRef(SpanRefType.FOLLOWS_FROM, 1, 0, 4))));
    assertThat(span.parentSpanId()).isEqualTo(4);
    assertThat(span.links()).hasSize(1);

    // the explicit parentSpanId wins
    span = decodeOne(span(0, 1, 2).setParentSpanId(5).setReferences(List.of(
        new SpanRef(SpanRefType.CHILD_OF, 1, 0, 5))));
    assertThat(span.parentSpanId()).isEqualTo(5);
    assertThat(span.links()).isEmpty();
  }

  @Test
  void logWithoutEventFieldHasNoName() throws Exception {
    Span span = decodeOne(span(0, 1, 2).setLogs(List.of(
        new Log(1_000_100L, List.of(tag("message", "hi"))))));
    assertThat(span.events().get(0).name()).isEmpty();
    assertThat(span.events().get(0).attributes()).isEqualTo(Attributes.of("message", "hi"));
    assertThat(span.events().get(0).epochNanos()).isEqualTo(1_000_100_000L);
  }

  @Test
  void zeroIdsRejectTheSpanNotTheBatch() throws Exception {
    DecodeResult result = JaegerThriftDecoder.decodeBatch(binary(new Batch(new Process("svc"),
        List.of(span(0, 1, 2), span(0, 0, 3), span(0, 1, 0), span(0, 1, 4).setDuration(-5)))));
    assertThat(result.spans()).extracting(Span::spanId).containsExactly(2L);
    assertThat(result.rejectedSpans()).isEqualTo(3);
    assertThat(result.errorMessage())
        .isEqualTo("Batch.spans[1].traceIdHigh/traceIdLow: must not be zero");
  }

  /** Writes Thrift binary by hand, for bodies no client library would write. */
  static final class Writer {
    final TMemoryBuffer buffer;
    final TBinaryProtocol out;

    Writer() throws TException {
      buffer = new TMemoryBuffer(64);
      out = new TBinaryProtocol(buffer);
    }

    Writer field(byte type, int id) throws TException {
      out.writeFieldBegin(new TField("", type, (short) id));
      return this;
    }

    Writer struct() throws TException {
      out.writeStructBegin(new TStruct(""));
      return this;
    }

    Writer stop() throws TException {
      out.writeFieldStop();
      return this;
    }

    Writer list(byte type, int size) throws TException {
      out.writeListBegin(new TList(type, size));
      return this;
    }

    Writer i64(int id, long value) throws TException {
      field(TType.I64, id);
      out.writeI64(value);
      return this;
    }

    Writer string(int id, String value) throws TException {
      field(TType.STRING, id);
      out.writeString(value);
      return this;
    }

    /** Batch{process{serviceName}, spans:[...]} up to the span fields. */
    Writer batchWithOneSpan() throws TException {
      field(TType.STRUCT, 1).string(1, "svc").stop();
      field(TType.LIST, 2).list(TType.STRUCT, 1);
      return i64(1, 1).i64(2, 0).i64(3, 2).i64(4, 0).string(5, "op")
          .field(TType.I32, 7).i32(1).i64(8, 1000).i64(9, 1);
    }

    Writer i32(int value) throws TException {
      out.writeI32(value);
      return this;
    }

    byte[] bytes() {
      return Arrays.copyOf(buffer.getArray(), buffer.length());
    }
  }

  @Test
  void unknownTagTypeNamesThePath() throws Exception {
    Writer w = new Writer().batchWithOneSpan();
    w.field(TType.LIST, 10).list(TType.STRUCT, 2);
    w.string(1, "ok").field(TType.I32, 2).i32(0).string(3, "v").stop();
    w.string(1, "bad").field(TType.I32, 2).i32(9).stop();
    w.stop().stop(); // span, batch
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeBatch(w.bytes()))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("Batch.spans[0].tags[1]: unknown tag type 9");
  }

  @Test
  void unknownFieldsAreSkipped() throws Exception {
    Writer w = new Writer().batchWithOneSpan();
    // field 99 of the span: a struct holding a list of maps
    w.field(TType.STRUCT, 99).field(TType.LIST, 1).list(TType.MAP, 1);
    w.out.writeMapBegin(new org.apache.thrift.protocol.TMap(TType.STRING, TType.I64, 1));
    w.out.writeString("k");
    w.out.writeI64(1);
    w.stop();
    w.string(100, "also unknown");
    w.stop(); // span
    w.i64(3, 42); // Batch.seqNo
    w.stop();
    DecodeResult result = JaegerThriftDecoder.decodeBatch(w.bytes());
    assertThat(result.spans()).hasSize(1);
    assertThat(result.spans().get(0).name()).isEqualTo("op");
    assertThat(result.spans().get(0).serviceName()).isEqualTo("svc");
  }

  @Test
  void deeplyNestedUnknownFieldIsRefused() throws Exception {
    Writer w = new Writer().batchWithOneSpan();
    for (int i = 0; i < 200; i++) w.field(TType.STRUCT, 99);
    for (int i = 0; i < 201; i++) w.stop();
    w.stop();
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeBatch(w.bytes()))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("Batch.spans[0]");
  }

  @Test
  void listSizeBombIsRefusedBeforeAllocating() throws Exception {
    Writer w = new Writer();
    w.field(TType.LIST, 2).list(TType.STRUCT, Integer.MAX_VALUE);
    w.i64(1, 1);
    byte[] bytes = w.bytes();
    assertThat(bytes.length).isLessThanOrEqualTo(20);
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeBatch(bytes))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("Batch.spans");

    // the same in the compact protocol of UDP, nested in a span's tags
    TMemoryBuffer buffer = new TMemoryBuffer(64);
    TCompactProtocol out = new TCompactProtocol(buffer);
    out.writeMessageBegin(new org.apache.thrift.protocol.TMessage(
        "emitBatch", org.apache.thrift.protocol.TMessageType.ONEWAY, 1));
    out.writeStructBegin(new TStruct("args"));
    out.writeFieldBegin(new TField("batch", TType.STRUCT, (short) 1));
    out.writeStructBegin(new TStruct("Batch"));
    out.writeFieldBegin(new TField("spans", TType.LIST, (short) 2));
    out.writeListBegin(new TList(TType.STRUCT, 1));
    out.writeStructBegin(new TStruct("Span"));
    out.writeFieldBegin(new TField("tags", TType.LIST, (short) 10));
    out.writeListBegin(new TList(TType.STRUCT, Integer.MAX_VALUE));
    byte[] compact = Arrays.copyOf(buffer.getArray(), buffer.length());
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeEmitBatch(compact, Protocol.COMPACT))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("emitBatch.batch.spans[0].tags");
  }

  @Test
  void stringLengthBombIsRefused() throws Exception {
    Writer w = new Writer();
    w.field(TType.STRUCT, 1).field(TType.STRING, 1).i32(Integer.MAX_VALUE);
    w.buffer.write(new byte[] {'a', 'b'});
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeBatch(w.bytes()))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("Batch.process");
  }

  @Test
  void stringLongerThanTheBytesLeftIsRefusedInBothProtocols() throws Exception {
    // a process serviceName claiming 100 bytes with 3 left: within libthrift's own limits (the
    // whole body), refused because it is more than is left
    Writer w = new Writer();
    w.field(TType.STRUCT, 1).field(TType.STRING, 1).i32(100);
    w.buffer.write(new byte[] {'a', 'b', 'c'});
    byte[] binary = w.bytes();
    assertThat(binary.length).isLessThan(100);
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeBatch(binary))
        .isInstanceOf(CodecException.class)
        .hasMessage("Batch.process: a length of 100 bytes is larger than the 3 bytes left in "
            + "the body");

    TMemoryBuffer buffer = new TMemoryBuffer(64);
    TCompactProtocol out = new TCompactProtocol(buffer);
    out.writeMessageBegin(new org.apache.thrift.protocol.TMessage(
        "emitBatch", org.apache.thrift.protocol.TMessageType.ONEWAY, 1));
    out.writeStructBegin(new TStruct("args"));
    out.writeFieldBegin(new TField("batch", TType.STRUCT, (short) 1));
    out.writeStructBegin(new TStruct("Batch"));
    out.writeFieldBegin(new TField("process", TType.STRUCT, (short) 1));
    out.writeStructBegin(new TStruct("Process"));
    out.writeFieldBegin(new TField("serviceName", TType.STRING, (short) 1));
    byte[] compactPrefix = Arrays.copyOf(buffer.getArray(), buffer.length());
    byte[] compact = Arrays.copyOf(compactPrefix, compactPrefix.length + 3);
    compact[compactPrefix.length] = 100; // varint length 100, then 2 bytes
    assertThatThrownBy(() -> JaegerThriftDecoder.decodeEmitBatch(compact, Protocol.COMPACT))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("emitBatch.batch.process: a length of 100 bytes");
  }

  @Test
  void truncatedBodiesAreRefused() throws Exception {
    byte[] full = binary(new Recorded(false).batch);
    for (int length = 0; length < full.length; length += 7) {
      byte[] cut = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> JaegerThriftDecoder.decodeBatch(cut))
          .as("cut at %d of %d", length, full.length)
          .isInstanceOf(CodecException.class);
    }
  }

  @Test
  void corruptedBodiesFailOnlyWithCodecException() throws Exception {
    byte[] full = binary(new Recorded(false).batch);
    Random random = new Random(42);
    int refused = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] corrupt = full.clone();
      for (int j = 0; j < 3; j++) corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt();
      try {
        JaegerThriftDecoder.decodeBatch(corrupt);
      } catch (CodecException e) {
        refused++;
        assertThat(e.getMessage()).isNotBlank();
      }
    }
    assertThat(refused).isPositive();
  }

  @Test
  void binaryTagValueIsCopied() throws Exception {
    ByteBuffer value = ByteBuffer.wrap(new byte[] {9, 8});
    Span span = decodeOne(span(0, 1, 2).setTags(List.of(
        new Tag("bin", TagType.BINARY).setVBinary(value))));
    assertThat(span.attributes().get("bin").bytesValue()).containsExactly(9, 8);
  }
}
