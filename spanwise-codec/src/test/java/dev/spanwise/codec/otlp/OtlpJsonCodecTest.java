package dev.spanwise.codec.otlp;

import static dev.spanwise.codec.otlp.OtlpTraceCodecTest.hex;
import static dev.spanwise.codec.otlp.OtlpTraceCodecTest.kv;
import static dev.spanwise.codec.otlp.OtlpTraceCodecTest.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.TestSpans;
import dev.spanwise.model.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OtlpJsonCodecTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  /** The example in the OTLP specification repository (examples/trace.json). */
  static final String SPEC_EXAMPLE = "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
      + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"my.service\"}}]},"
      + "\"scopeSpans\":[{\"scope\":{\"name\":\"my.library\",\"version\":\"1.0.0\","
      + "\"attributes\":[{\"key\":\"my.scope.attribute\",\"value\":{\"stringValue\":"
      + "\"some scope attribute\"}}]},\"spans\":[{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\","
      + "\"spanId\":\"EEE19B7EC3C1B174\",\"parentSpanId\":\"EEE19B7EC3C1B173\","
      + "\"name\":\"I'm a server span\",\"startTimeUnixNano\":\"1544712660000000000\","
      + "\"endTimeUnixNano\":\"1544712661000000000\",\"kind\":2,\"attributes\":["
      + "{\"key\":\"my.span.attr\",\"value\":{\"stringValue\":\"some value\"}}]}]}]}]}";

  @Test
  void parsesTheSpecificationsExample() {
    ExportTraceServiceRequest expected = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("my.service"))))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("my.library")
                    .setVersion("1.0.0")
                    .addAttributes(kv("my.scope.attribute", str("some scope attribute"))))
                .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(hex("5b8efff798038103d269b633813fc60c")))
                    .setSpanId(ByteString.copyFrom(hex("eee19b7ec3c1b174")))
                    .setParentSpanId(ByteString.copyFrom(hex("eee19b7ec3c1b173")))
                    .setName("I'm a server span")
                    .setStartTimeUnixNano(1544712660000000000L)
                    .setEndTimeUnixNano(1544712661000000000L)
                    .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
                    .addAttributes(kv("my.span.attr", str("some value"))))))
        .build();

    assertThat(OtlpJsonDecoder.parse(utf8(SPEC_EXAMPLE))).isEqualTo(expected);
    assertThat(OtlpJsonDecoder.parseTracesData(utf8(SPEC_EXAMPLE)).getResourceSpansList())
        .isEqualTo(expected.getResourceSpansList());
    DecodeResult result = OtlpJsonDecoder.decode(utf8(SPEC_EXAMPLE));
    assertThat(result.spans()).hasSize(1);
    assertThat(result.spans().get(0).serviceName()).isEqualTo("my.service");
  }

  @Test
  void ourJsonIsProtobufsJsonMappingWithHexIds() throws Exception {
    ExportTraceServiceRequest message = OtlpTraceEncoder.encode(TestSpans.trace());
    byte[] ours = OtlpJsonEncoder.toJson(message);

    // protobuf's JsonFormat reads ids as base64: convert ours, and the rest must parse the same
    String forJsonFormat = convertIds(ours, h -> Base64.getEncoder().encodeToString(hex(h)));
    ExportTraceServiceRequest.Builder parsed = ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(forJsonFormat, parsed);

    assertThat(parsed.build()).isEqualTo(message);
  }

  @Test
  void readsProtobufsJsonMappingOnceIdsAreHex() throws Exception {
    ExportTraceServiceRequest message = OtlpTraceEncoder.encode(TestSpans.trace());
    UnaryOperator<String> base64ToHex = b -> toHex(Base64.getDecoder().decode(b));

    // enums as names, 64-bit integers as strings, lowerCamelCase
    String camel = JsonFormat.printer().print(message);
    assertThat(camel).contains("\"SPAN_KIND_SERVER\"");
    assertThat(OtlpJsonDecoder.parse(utf8(convertIds(utf8(camel), base64ToHex))))
        .isEqualTo(message);

    // the proto's own snake_case names
    String snake = JsonFormat.printer().preservingProtoFieldNames().print(message);
    assertThat(snake).contains("\"resource_spans\"").contains("\"start_time_unix_nano\"");
    assertThat(OtlpJsonDecoder.parse(utf8(convertIds(utf8(snake), base64ToHex))))
        .isEqualTo(message);
  }

  @Test
  void writesHexIdsIntegerEnumsAndStringInt64s() throws Exception {
    JsonNode span = MAPPER.readTree(OtlpJsonEncoder.encode(List.of(TestSpans.richRoot())))
        .get("resourceSpans").get(0).get("scopeSpans").get(0).get("spans").get(0);

    assertThat(span.get("traceId").asText()).isEqualTo("5af7183fb1d4cf5f463acd0b1e5f2a7c");
    assertThat(span.get("spanId").asText()).isEqualTo("1111111111111111");
    assertThat(span.has("parentSpanId")).isFalse();
    assertThat(span.get("kind").isInt()).isTrue();
    assertThat(span.get("kind").asInt()).isEqualTo(2);
    assertThat(span.get("startTimeUnixNano").isTextual()).isTrue();
    assertThat(span.get("startTimeUnixNano").asText()).isEqualTo("1704164645123456789");
    assertThat(span.get("status").get("code").asInt()).isEqualTo(2);
    assertThat(span.get("flags").asInt()).isEqualTo(1);
    JsonNode code = findAttribute(span, "http.response.status_code");
    assertThat(code.get("intValue").isTextual()).isTrue();
    assertThat(code.get("intValue").asText()).isEqualTo("500");
    assertThat(findAttribute(span, "blob").get("bytesValue").asText()).isEqualTo("AQID/w==");
    assertThat(span.get("links").get(0).get("traceId").asText())
        .isEqualTo("0102030405060708090a0b0c0d0e0f10");
  }

  @Test
  void roundTripsModelSpans() throws Exception {
    List<Span> spans = TestSpans.trace();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OtlpJsonEncoder.encode(spans, out);

    assertThat(OtlpJsonDecoder.decode(out.toByteArray()).spans()).containsExactlyElementsOf(spans);
    assertThat(OtlpJsonDecoder.decode(OtlpJsonEncoder.encode(spans)).spans())
        .containsExactlyElementsOf(spans);
    assertThat(OtlpJsonEncoder.toJson(OtlpTraceEncoder.toTracesData(spans)))
        .isEqualTo(OtlpJsonEncoder.encode(spans));
  }

  @Test
  void acceptsNumbersForInt64sNamesForEnumsAndIgnoresUnknownFields() {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"5af7183fb1d4cf5f463acd0b1e5f2a7c\",\"spanId\":\"1111111111111111\","
        + "\"kind\":\"SPAN_KIND_CLIENT\",\"startTimeUnixNano\":1000,\"endTimeUnixNano\":\"2000\","
        + "\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":42}},"
        + "{\"key\":\"d\",\"value\":{\"doubleValue\":\"NaN\"}},"
        + "{\"key\":\"m\",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"a\","
        + "\"value\":{\"boolValue\":true}}]}}}],"
        + "\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"x\"},"
        + "\"futureField\":{\"deep\":[1,2,{\"x\":null}]}}],\"newThing\":7}]}],\"extra\":null}";

    io.opentelemetry.proto.trace.v1.Span span = OtlpJsonDecoder.parse(utf8(json))
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertThat(span.getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1000);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(2000);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(42);
    assertThat(span.getAttributes(1).getValue().getDoubleValue()).isNaN();
    assertThat(span.getAttributes(2).getValue().getKvlistValue().getValues(0).getValue()
        .getBoolValue()).isTrue();
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(span.getStatus().getMessage()).isEqualTo("x");
  }

  @Test
  void badSpansAreRejectedNotFatal() {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"5af7183fb1d4cf5f\",\"spanId\":\"1111111111111111\"}]}]}]}";
    DecodeResult result = OtlpJsonDecoder.decode(utf8(json));
    assertThat(result.rejectedSpans()).isEqualTo(1);
    assertThat(result.errorMessage())
        .isEqualTo("resourceSpans[0].scopeSpans[0].spans[0].traceId: must be 16 bytes, was 8");
  }

  @Test
  void errorsNameTheFieldPath() {
    assertError("[]", "body: expected a JSON object, was an array");
    assertError("{\"resourceSpans\":{}}", "resourceSpans: expected an array, was an object");
    assertError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{},{\"traceId\":\"zz\"}]}]}]}",
        "resourceSpans[0].scopeSpans[0].spans[1].traceId: not hex: \"zz\"");
    assertError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"abc\"}]}]}]}",
        "resourceSpans[0].scopeSpans[0].spans[0].spanId: "
            + "hex id must have an even number of digits, was 3");
    assertError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SIDEWAYS\"}]}]}]}",
        "resourceSpans[0].scopeSpans[0].spans[0].kind: unknown value \"SIDEWAYS\"");
    assertError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}",
        "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: "
            + "expected an integer, was \"soon\"");
    assertError("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"k\",\"value\":"
        + "{\"arrayValue\":{\"values\":[{\"intValue\":true}]}}}]}}]}",
        "resourceSpans[0].resource.attributes[0].value.arrayValue.values[0].intValue: "
            + "expected an integer, was a boolean");
    assertError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"droppedLinksCount\":-1}]}]}]}",
        "resourceSpans[0].scopeSpans[0].spans[0].droppedLinksCount: "
            + "-1 is out of the 32-bit unsigned range");
    assertError("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"b\","
        + "\"value\":{\"bytesValue\":\"***\"}}]}]}]}]}",
        null);
    assertThatThrownBy(() -> OtlpJsonDecoder.parse(utf8("{\"resourceSpans\":[")))
        .isInstanceOf(CodecException.class).hasMessageStartingWith("body is not valid JSON: ");
  }

  private static void assertError(String json, String message) {
    var thrown = assertThatThrownBy(() -> OtlpJsonDecoder.decode(utf8(json)))
        .isInstanceOf(CodecException.class);
    if (message != null) {
      thrown.hasMessage(message);
    } else {
      thrown.hasMessageStartingWith("resourceSpans[0].scopeSpans[0].spans[0].attributes[0]"
          + ".value.bytesValue: not base64");
    }
  }

  private static JsonNode findAttribute(JsonNode span, String key) {
    for (JsonNode kv : span.get("attributes")) {
      if (kv.get("key").asText().equals(key)) return kv.get("value");
    }
    throw new AssertionError("no attribute " + key);
  }

  /** Rewrites every trace/span id value in the JSON with {@code convert}. */
  private static String convertIds(byte[] json, UnaryOperator<String> convert) throws Exception {
    JsonNode tree = MAPPER.readTree(json);
    convertIds(tree, convert);
    return MAPPER.writeValueAsString(tree);
  }

  private static void convertIds(JsonNode node, UnaryOperator<String> convert) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
          field.setValue(MAPPER.getNodeFactory().textNode(convert.apply(field.getValue().asText())));
        } else {
          convertIds(field.getValue(), convert);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) convertIds(element, convert);
    }
  }

  private static String toHex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) sb.append(String.format("%02x", b & 0xff));
    return sb.toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
