package dev.spanwise.codec.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.TestSpans;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written byte reader against the generated classes: for the same bytes, {@code
 * decode(bytes)} must equal {@code decode(TracesData.parseFrom(bytes))}: spans, rejections and
 * message.
 */
class OtlpProtoReaderTest {

  @Test
  void sameAsGeneratedOnTheRichTrace() throws Exception {
    assertSameAsGenerated(OtlpTraceEncoder.encodeToBytes(TestSpans.trace()));
  }

  @Test
  void sameAsGeneratedOnRandomTraces() throws Exception {
    Random random = new Random(20261125);
    for (int i = 0; i < 300; i++) {
      TracesData data = randomTracesData(random);
      assertSameAsGenerated(data.toByteArray());
    }
  }

  @Test
  void handWrittenBytesAreTheGeneratedBytes() throws Exception {
    assertThat(OtlpTraceEncoder.encodeToBytes(TestSpans.trace()))
        .isEqualTo(OtlpTraceEncoder.toTracesData(TestSpans.trace()).toByteArray());
    Random random = new Random(7);
    int spans = 0;
    for (int i = 0; i < 300; i++) {
      java.util.List<dev.spanwise.model.Span> model =
          OtlpTraceDecoder.decode(randomTracesData(random)).spans();
      spans += model.size();
      assertThat(OtlpTraceEncoder.encodeToBytes(model))
          .isEqualTo(OtlpTraceEncoder.toTracesData(model).toByteArray());
    }
    assertThat(spans).isGreaterThan(500);
    assertThat(OtlpTraceEncoder.encodeToBytes(java.util.List.of())).isEmpty();
  }

  @Test
  void resourceAndScopeAfterTheirSpans() throws Exception {
    Span span = validSpan().build();
    byte[] scopeSpans = message(out -> {
      out.writeMessage(2, span);
      out.writeMessage(1, InstrumentationScope.newBuilder().setName("late scope").build());
    });
    byte[] resourceSpans = message(out -> {
      out.writeByteArray(2, scopeSpans);
      out.writeMessage(1, Resource.newBuilder()
          .addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("late").build()))
          .build());
    });
    byte[] body = message(out -> out.writeByteArray(1, resourceSpans));

    DecodeResult result = assertSameAsGenerated(body);
    assertThat(result.spans().get(0).serviceName()).isEqualTo("late");
    assertThat(result.spans().get(0).scope().name()).isEqualTo("late scope");
  }

  @Test
  void mergesRepeatedMessageFieldsAndSkipsMismatchedWireTypes() throws Exception {
    byte[] spanBytes = message(out -> {
      out.writeBytes(1, ByteString.copyFrom(bytes(16, 1)));
      out.writeBytes(2, ByteString.copyFrom(bytes(8, 2)));
      out.writeUInt64(5, 99); // name with the wrong wire type: unknown
      out.writeString(5, "real name");
      out.writeFixed64(7, 10);
      out.writeFixed64(8, 20);
      // one attribute whose value arrives in two parts: arrays merge
      out.writeByteArray(9, message(kv -> {
        kv.writeString(1, "list");
        kv.writeMessage(2, AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setIntValue(1))).build());
        kv.writeMessage(2, AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setIntValue(2))).build());
      }));
      // the last member of the oneof wins
      out.writeByteArray(9, message(kv -> {
        kv.writeString(1, "switch");
        kv.writeMessage(2, AnyValue.newBuilder().setStringValue("first").build());
        kv.writeMessage(2, AnyValue.newBuilder().setBoolValue(true).build());
      }));
      out.writeByteArray(9, message(kv -> {
        kv.writeString(1, "strindex");
        kv.writeMessage(2, AnyValue.newBuilder().setStringValueStrindex(3).build());
      }));
      out.writeMessage(15, Status.newBuilder().setMessage("part one").build());
      out.writeMessage(15, Status.newBuilder().setCodeValue(2).build());
      out.writeString(1000, "unknown");
    });
    byte[] body = message(out -> out.writeByteArray(1, message(rs ->
        rs.writeByteArray(2, message(ss -> ss.writeByteArray(2, spanBytes))))));

    DecodeResult result = assertSameAsGenerated(body);
    dev.spanwise.model.Span span = result.spans().get(0);
    assertThat(span.name()).isEqualTo("real name");
    assertThat(span.attributes().get("list").arrayValue()).hasSize(2);
    assertThat(span.attributes().get("switch").booleanValue()).isTrue();
    assertThat(span.attributes().get("strindex")).isNull();
    assertThat(span.status()).isEqualTo(dev.spanwise.model.Status.error("part one"));
  }

  @Test
  void rejectionsMatchTheGeneratedPath() throws Exception {
    Span good = validSpan().build();
    TracesData data = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(good)
            .addSpans(good.toBuilder().addLinks(Span.Link.newBuilder()
                .setTraceId(ByteString.copyFrom(bytes(16, 0)))
                .setSpanId(ByteString.copyFrom(bytes(8, 1))))
                .setSpanId(ByteString.copyFrom(bytes(7, 1))))
            .addSpans(good.toBuilder().addLinks(Span.Link.newBuilder()
                .setTraceId(ByteString.copyFrom(bytes(16, 1)))
                .setSpanId(ByteString.copyFrom(bytes(8, 1))))
                .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(bytes(16, 0)))))
            .addSpans(good.toBuilder().setStartTimeUnixNano(-1).setEndTimeUnixNano(-1))))
        .build();
    DecodeResult result = assertSameAsGenerated(data.toByteArray());
    assertThat(result.rejectedSpans()).isEqualTo(3);
    assertThat(result.errorMessage())
        .isEqualTo("resourceSpans[0].scopeSpans[0].spans[1].spanId: must be 8 bytes, was 7");
  }

  @Test
  void malformedBytesFailBothWays() throws Exception {
    byte[] body = OtlpTraceEncoder.encodeToBytes(TestSpans.trace());
    for (int cut = 1; cut < body.length; cut += 7) {
      byte[] truncated = Arrays.copyOf(body, body.length - cut);
      boolean generatedFails;
      try {
        TracesData.parseFrom(truncated);
        generatedFails = false;
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        generatedFails = true;
      }
      if (generatedFails) {
        assertBothRefuse(truncated, "body is not a valid OTLP protobuf trace message: ");
      } else {
        assertSameAsGenerated(truncated);
      }
    }
  }

  @Test
  void stringsInEveryPlaceDecodeAsTheGeneratedParserDecodesThem() throws Exception {
    String longAscii = "x".repeat(300);
    String longUnicode = "caf\u00e9 \u65e5\u672c \ud83d\ude00 ".repeat(20);
    for (String text : java.util.List.of("", "GET", "caf\u00e9", "\u65e5\u672c\ud83d\ude00",
        longAscii, longUnicode)) {
      Span span = validSpan().setName(text).setTraceState(text)
          .addAttributes(kv(text.isEmpty() ? "k" : text,
              AnyValue.newBuilder().setStringValue(text).build()))
          .addEvents(Span.Event.newBuilder().setName(text))
          .build();
      byte[] body = message(out -> out.writeByteArray(1, message(rs ->
          rs.writeByteArray(2, message(ss -> {
            ss.writeMessage(1, InstrumentationScope.newBuilder().setName(text).build());
            ss.writeMessage(2, span);
          })))));
      DecodeResult result = assertSameAsGenerated(body);
      assertThat(result.spans().get(0).name()).isEqualTo(text);
    }
  }

  @Test
  void invalidUtf8IsRefusedAsTheGeneratedParserRefusesIt() throws Exception {
    byte[][] invalid = {
      {(byte) 0xff}, {'a', (byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // surrogate
      {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
      invalidLong()
    };
    for (byte[] bad : invalid) {
      for (int place = 0; place < 3; place++) {
        int where = place;
        byte[] spanBytes = message(out -> {
          out.writeBytes(1, ByteString.copyFrom(bytes(16, 1)));
          out.writeBytes(2, ByteString.copyFrom(bytes(8, 2)));
          if (where == 0) out.writeBytes(5, ByteString.copyFrom(bad)); // name
          out.writeByteArray(9, message(kv -> {
            if (where == 1) kv.writeBytes(1, ByteString.copyFrom(bad)); // key
            else kv.writeString(1, "key");
            kv.writeByteArray(2, message(v -> {
              if (where == 2) v.writeBytes(1, ByteString.copyFrom(bad)); // value
              else v.writeString(1, "value");
            }));
          }));
        });
        byte[] body = message(out -> out.writeByteArray(1, message(rs ->
            rs.writeByteArray(2, message(ss -> ss.writeByteArray(2, spanBytes))))));
        assertThatThrownBy(() -> TracesData.parseFrom(body))
            .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class);
        assertBothRefuse(body, "invalid UTF-8");
      }
    }
  }

  private static byte[] invalidLong() {
    byte[] b = new byte[200];
    Arrays.fill(b, (byte) 'a');
    b[150] = (byte) 0x80;
    return b;
  }

  @Test
  void repeatedKeysAndNamesDecodeToOneInstance() throws Exception {
    byte[] body = OtlpTraceEncoder.encodeToBytes(TestSpans.trace());
    dev.spanwise.model.Span first = OtlpTraceDecoder.decode(body).spans().get(0);
    dev.spanwise.model.Span again = OtlpTraceDecoder.decode(body).spans().get(0);
    assertThat(again.name()).isSameAs(first.name());
    assertThat(again.attributes().key(0)).isSameAs(first.attributes().key(0));
  }

  @Test
  void scanAndDecodeAgreeOnMutatedBodies() throws Exception {
    Random random = new Random(Long.getLong("mutationSeed", 424242));
    int refused = 0;
    int rejecting = 0;
    for (int i = 0; i < Integer.getInteger("mutations", 3000); i++) {
      byte[] body = randomTracesData(random).toByteArray();
      if (body.length == 0) continue;
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        body[random.nextInt(body.length)] = (byte) random.nextInt(256);
      }
      DecodeResult decoded;
      try {
        decoded = OtlpTraceDecoder.decode(body);
      } catch (CodecException e) {
        refused++;
        byte[] b = body;
        assertThatThrownBy(() -> OtlpTraceDecoder.scan(b, 0, b.length))
            .isInstanceOf(CodecException.class).hasMessage(e.getMessage());
        continue;
      }
      OtlpTraceDecoder.Scan scan = OtlpTraceDecoder.scan(body, 0, body.length);
      assertThat(scan.acceptedSpans()).isEqualTo(decoded.spans().size());
      assertThat(scan.rejectedSpans()).isEqualTo(decoded.rejectedSpans());
      assertThat(scan.errorMessage()).isEqualTo(decoded.errorMessage());
      if (decoded.hasRejections()) rejecting++;
    }
    // the mutations reach both outcomes
    assertThat(refused).isGreaterThan(100);
    assertThat(rejecting).isGreaterThan(20);
  }

  @Test
  void deeplyNestedValuesAreRefused() throws Exception {
    AnyValue value = AnyValue.newBuilder().setIntValue(1).build();
    for (int i = 0; i < 80; i++) {
      value = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value)).build();
    }
    TracesData data = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("deep", value)))).build();
    assertBothRefuse(data.toByteArray(), "nested more than 64 deep");
  }

  private static DecodeResult assertSameAsGenerated(byte[] body) throws Exception {
    DecodeResult hand = OtlpTraceDecoder.decode(body);
    DecodeResult generated = OtlpTraceDecoder.decode(TracesData.parseFrom(body));
    assertThat(hand.spans()).containsExactlyElementsOf(generated.spans());
    assertThat(hand.rejectedSpans()).isEqualTo(generated.rejectedSpans());
    assertThat(hand.errorMessage()).isEqualTo(generated.errorMessage());
    // and the scan that receivers run instead of decoding finds the same
    OtlpTraceDecoder.Scan scan = OtlpTraceDecoder.scan(body, 0, body.length);
    assertThat(scan.acceptedSpans()).isEqualTo(hand.spans().size());
    assertThat(scan.rejectedSpans()).isEqualTo(hand.rejectedSpans());
    assertThat(scan.errorMessage()).isEqualTo(hand.errorMessage());
    return hand;
  }

  /** Decoding and scanning refuse the body alike. */
  private static void assertBothRefuse(byte[] body, String messagePart) {
    assertThatThrownBy(() -> OtlpTraceDecoder.decode(body))
        .isInstanceOf(CodecException.class).hasMessageContaining(messagePart);
    assertThatThrownBy(() -> OtlpTraceDecoder.scan(body, 0, body.length))
        .isInstanceOf(CodecException.class).hasMessageContaining(messagePart);
  }

  private static Span.Builder validSpan() {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(bytes(16, 1)))
        .setSpanId(ByteString.copyFrom(bytes(8, 2)))
        .setStartTimeUnixNano(100)
        .setEndTimeUnixNano(200);
  }

  private static TracesData randomTracesData(Random r) {
    TracesData.Builder data = TracesData.newBuilder();
    for (int i = r.nextInt(3); i >= 0; i--) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder();
      if (r.nextBoolean()) {
        rs.setResource(Resource.newBuilder().addAllAttributes(randomAttributes(r, 0))
            .setDroppedAttributesCount(r.nextInt(3)));
      }
      for (int s = r.nextInt(3); s >= 0; s--) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        if (r.nextBoolean()) {
          ss.setScope(InstrumentationScope.newBuilder().setName(word(r)).setVersion(word(r))
              .addAllAttributes(randomAttributes(r, 0)));
        }
        for (int n = r.nextInt(4); n >= 0; n--) ss.addSpans(randomSpan(r));
        rs.addScopeSpans(ss);
      }
      data.addResourceSpans(rs);
    }
    return data.build();
  }

  private static Span randomSpan(Random r) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(randomId(r, 16)))
        .setSpanId(ByteString.copyFrom(randomId(r, 8)))
        .setName(word(r))
        .setKindValue(r.nextInt(7))
        .setStartTimeUnixNano(r.nextInt(1000))
        .setEndTimeUnixNano(r.nextInt(1000) + (r.nextInt(10) == 0 ? 0 : 1000))
        .addAllAttributes(randomAttributes(r, 0))
        .setDroppedAttributesCount(r.nextInt(2))
        .setDroppedEventsCount(r.nextInt(2))
        .setDroppedLinksCount(r.nextInt(2))
        .setFlags(r.nextInt(0x300))
        .setTraceState(r.nextBoolean() ? "" : "a=" + word(r));
    if (r.nextBoolean()) b.setParentSpanId(ByteString.copyFrom(randomId(r, 8)));
    for (int i = r.nextInt(3); i > 0; i--) {
      b.addEvents(Span.Event.newBuilder().setTimeUnixNano(r.nextInt(2000)).setName(word(r))
          .addAllAttributes(randomAttributes(r, 1)).setDroppedAttributesCount(r.nextInt(2)));
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      b.addLinks(Span.Link.newBuilder()
          .setTraceId(ByteString.copyFrom(randomId(r, 16)))
          .setSpanId(ByteString.copyFrom(randomId(r, 8)))
          .setTraceState(word(r))
          .setFlags(r.nextInt(3))
          .addAllAttributes(randomAttributes(r, 1)));
    }
    if (r.nextBoolean()) {
      b.setStatus(Status.newBuilder().setCodeValue(r.nextInt(4)).setMessage(word(r)));
    }
    return b.build();
  }

  /** Mostly valid ids, sometimes of the wrong length or all zero. */
  private static byte[] randomId(Random r, int length) {
    int roll = r.nextInt(40);
    if (roll == 0) return new byte[length];
    if (roll == 1) return new byte[r.nextInt(length + 3)];
    byte[] id = new byte[length];
    r.nextBytes(id);
    if (length > 0) id[0] |= 1;
    return id;
  }

  private static java.util.List<KeyValue> randomAttributes(Random r, int depth) {
    java.util.List<KeyValue> out = new java.util.ArrayList<>();
    for (int i = r.nextInt(depth > 2 ? 2 : 5); i > 0; i--) {
      out.add(kv(r.nextInt(8) == 0 ? "dup" : word(r), randomValue(r, depth)));
    }
    return out;
  }

  private static AnyValue randomValue(Random r, int depth) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (r.nextInt(depth > 2 ? 6 : 9)) {
      case 0:
        return v.setStringValue(word(r)).build();
      case 1:
        return v.setBoolValue(r.nextBoolean()).build();
      case 2:
        return v.setIntValue(r.nextLong()).build();
      case 3:
        return v.setDoubleValue(r.nextDouble()).build();
      case 4:
        return v.setBytesValue(ByteString.copyFrom(randomId(r, r.nextInt(5)))).build();
      case 5:
        return v.build(); // empty
      case 6:
      case 7: {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (int i = r.nextInt(4); i > 0; i--) array.addValues(randomValue(r, depth + 1));
        return v.setArrayValue(array).build();
      }
      default:
        return v.setKvlistValue(KeyValueList.newBuilder()
            .addAllValues(randomAttributes(r, depth + 1))).build();
    }
  }

  private static String word(Random r) {
    String[] words = {"", "a", "checkout", "GET /", "é ü", "db.system", "x-y"};
    return words[r.nextInt(words.length)];
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static byte[] bytes(int length, int last) {
    byte[] b = new byte[length];
    if (length > 0) b[length - 1] = (byte) last;
    return b;
  }

  interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] message(Fields fields) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    fields.write(out);
    out.flush();
    return bytes.toByteArray();
  }
}
