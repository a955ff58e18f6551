package dev.spanwise.codec.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.TestSpans;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JaegerJsonCodecTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void writesPerSpanWarningsWhenGivenAndNullOtherwise() throws Exception {
    List<Span> trace = TestSpans.trace();
    Span warned = trace.get(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      JaegerJsonEncoder.writeTrace(trace,
          span -> span == warned ? List.of("clock skew adjusted by 40ms") : List.of(), g);
    }
    JsonNode spans = MAPPER.readTree(out.toByteArray()).path("spans");
    int warnedSpans = 0;
    for (JsonNode span : spans) {
      if (span.path("warnings").isArray()) {
        warnedSpans++;
        assertThat(span.path("spanID").asText())
            .isEqualTo(dev.spanwise.model.SpanId.toHex(warned.spanId()));
        assertThat(span.path("warnings").get(0).asText()).isEqualTo("clock skew adjusted by 40ms");
      } else {
        assertThat(span.path("warnings").isNull()).isTrue();
      }
    }
    assertThat(warnedSpans).isEqualTo(1);
  }

  @Test
  void writesTheShapeJaegerUiReads() throws Exception {
    JsonNode trace = MAPPER.readTree(JaegerJsonEncoder.encodeTrace(TestSpans.trace()));

    assertThat(trace.get("traceID").asText()).isEqualTo("5af7183fb1d4cf5f463acd0b1e5f2a7c");
    assertThat(trace.get("warnings").isNull()).isTrue();
    assertThat(trace.get("spans")).hasSize(2);

    JsonNode root = trace.get("spans").get(0);
    assertThat(root.get("traceID").asText()).isEqualTo("5af7183fb1d4cf5f463acd0b1e5f2a7c");
    assertThat(root.get("spanID").asText()).isEqualTo("1111111111111111");
    assertThat(root.get("operationName").asText()).isEqualTo("GET /checkout");
    assertThat(root.get("flags").asInt()).isEqualTo(1);
    assertThat(root.get("startTime").isIntegralNumber()).isTrue();
    assertThat(root.get("startTime").asLong()).isEqualTo(1_704_164_645_123_456L);
    assertThat(root.get("duration").asLong()).isEqualTo(250_000L);
    assertThat(root.get("processID").asText()).isEqualTo("p1");
    assertThat(root.get("references")).hasSize(1);
    JsonNode link = root.get("references").get(0);
    assertThat(link.get("refType").asText()).isEqualTo("FOLLOWS_FROM");
    assertThat(link.get("traceID").asText()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    assertThat(link.get("spanID").asText()).isEqualTo("0a0b0c0d0e0f1011");

    JsonNode tags = root.get("tags");
    assertTag(tags, "http.request.method", "string", "\"GET\"");
    assertTag(tags, "http.response.status_code", "int64", "500");
    assertTag(tags, "big.number", "int64", "\"9007199254740993\"");
    assertTag(tags, "ratio", "float64", "0.25");
    assertTag(tags, "cached", "bool", "false");
    assertTag(tags, "blob", "binary", "\"AQID/w==\"");
    assertTag(tags, "tags", "string", "\"[\\\"a\\\",7,true]\"");
    assertTag(tags, "nested", "string", "\"{\\\"inner\\\":\\\"v\\\",\\\"n\\\":1}\"");
    assertTag(tags, "span.kind", "string", "\"server\"");
    assertTag(tags, "otel.status_code", "string", "\"ERROR\"");
    assertTag(tags, "error", "bool", "true");
    assertTag(tags, "otel.status_description", "string", "\"payment declined\"");
    assertTag(tags, "otel.scope.name", "string", "\"io.example.http\"");
    assertTag(tags, "otel.scope.version", "string", "\"1.2.3\"");
    assertTag(tags, "w3c.tracestate", "string", "\"vendor=abc,other=1\"");

    JsonNode log = root.get("logs").get(0);
    assertThat(log.get("timestamp").asLong()).isEqualTo(1_704_164_645_123_457L);
    assertTag(log.get("fields"), "exception.type", "string", "\"java.io.IOException\"");
    assertTag(log.get("fields"), "event", "string", "\"exception\"");

    JsonNode child = trace.get("spans").get(1);
    assertThat(child.get("processID").asText()).isEqualTo("p2");
    JsonNode parent = child.get("references").get(0);
    assertThat(parent.get("refType").asText()).isEqualTo("CHILD_OF");
    assertThat(parent.get("traceID").asText()).isEqualTo("5af7183fb1d4cf5f463acd0b1e5f2a7c");
    assertThat(parent.get("spanID").asText()).isEqualTo("1111111111111111");
    assertTag(child.get("tags"), "span.kind", "string", "\"client\"");
    assertTag(child.get("tags"), "otel.status_code", "string", "\"OK\"");
    assertThat(findTag(child.get("tags"), "error")).isNull();
    assertThat(child.get("logs")).isEmpty();

    JsonNode processes = trace.get("processes");
    assertThat(processes.size()).isEqualTo(2);
    assertThat(processes.get("p1").get("serviceName").asText()).isEqualTo("frontend");
    assertThat(processes.get("p1").get("tags")).hasSize(2);
    assertTag(processes.get("p1").get("tags"), "host.name", "string", "\"web-1\"");
    assertTag(processes.get("p1").get("tags"), "process.pid", "int64", "4242");
    assertThat(processes.get("p2").get("serviceName").asText()).isEqualTo("backend");
    assertThat(processes.get("p2").get("tags")).isEmpty();
  }

  @Test
  void oneProcessPerDistinctResourceAnd64BitIdsAsSixteenHex() throws Exception {
    Span a = TestSpans.child().toBuilder().traceId(TraceId.of(0, 0xabcdefL)).build();
    Span b = a.toBuilder().spanId(7).resource(Resource.ofServiceName("backend")).build();
    Span c = a.toBuilder().spanId(8).resource(TestSpans.FRONTEND).build();

    JsonNode trace = MAPPER.readTree(JaegerJsonEncoder.encodeTrace(List.of(a, b, c)));

    assertThat(trace.get("traceID").asText()).isEqualTo("0000000000abcdef");
    assertThat(trace.get("spans").findValuesAsText("processID")).containsExactly("p1", "p1", "p2");
    assertThat(trace.get("processes").size()).isEqualTo(2);
  }

  @Test
  void largeNegativeAndSafeIntegers() throws Exception {
    Span span = TestSpans.child().toBuilder().attributes(Attributes.builder()
        .put("max.safe", (1L << 53) - 1)
        .put("beyond", 1L << 53)
        .put("negative", -(1L << 60))
        .put("nan", Double.NaN)
        .build()).build();
    JsonNode tags = MAPPER.readTree(JaegerJsonEncoder.encodeTrace(List.of(span)))
        .get("spans").get(0).get("tags");
    assertTag(tags, "max.safe", "int64", "9007199254740991");
    assertTag(tags, "beyond", "int64", "\"9007199254740992\"");
    assertTag(tags, "negative", "int64", "\"-1152921504606846976\"");
    assertTag(tags, "nan", "float64", "\"NaN\"");
    List<Span> back = JaegerJsonDecoder.decodeTrace(JaegerJsonEncoder.encodeTrace(List.of(span)));
    assertThat(back.get(0).attributes()).isEqualTo(span.attributes());
  }

  @Test
  void roundTripsWhatJaegerCanHold() {
    Span root = TestSpans.richRoot().toBuilder()
        .attributes(TestSpans.richRoot().attributes().toBuilder()
            .remove("tags").remove("nested").build())
        .events(List.of(
            SpanEvent.of(TestSpans.START + 1_000, "exception",
                Attributes.of("exception.type", "java.io.IOException")),
            SpanEvent.of(TestSpans.START + 2_000, "", Attributes.EMPTY)))
        // links read back with the reference type they were written as (Jaeger's references)
        .links(List.of(
            SpanLink.of(TraceId.fromHex("0102030405060708090a0b0c0d0e0f10"), 5,
                Attributes.of("opentracing.ref_type", "follows_from")),
            SpanLink.of(TraceId.fromHex("0102030405060708090a0b0c0d0e0f10"), 6,
                Attributes.of("opentracing.ref_type", "child_of"))))
        .droppedAttributesCount(0).droppedEventsCount(0).droppedLinksCount(0)
        .resource(Resource.of(TestSpans.FRONTEND.attributes())) // no dropped count in Jaeger
        .scope(dev.spanwise.model.InstrumentationScope.of("io.example.http", "1.2.3"))
        .build();
    Span child = TestSpans.child();
    Span internal = child.toBuilder().spanId(9).kind(SpanKind.INTERNAL).status(Status.error(""))
        .resource(root.resource()).build();
    List<Span> trace = List.of(root, child, internal).stream()
        .map(TestSpans::truncatedToMicros).collect(java.util.stream.Collectors.toList());

    assertThat(JaegerJsonDecoder.decodeTrace(JaegerJsonEncoder.encodeTrace(trace)))
        .containsExactlyElementsOf(trace);
  }

  @Test
  void aRootsLinkWithinItsTraceReadsBackAsTheParentAsJaegerReadsIt() {
    Span root = TestSpans.truncatedToMicros(TestSpans.richRoot().toBuilder()
        .links(List.of(SpanLink.of(TestSpans.TRACE_ID, 6))).build());

    Span back = JaegerJsonDecoder.decodeTrace(JaegerJsonEncoder.encodeTrace(List.of(root))).get(0);

    // Jaeger's Span.ParentSpanID() and the OpenTelemetry translator take a FOLLOWS_FROM within
    // the trace as the parent when there is no CHILD_OF; the reference also stays a link
    assertThat(back.parentSpanId()).isEqualTo(6);
    assertThat(back.links()).containsExactly(SpanLink.of(TestSpans.TRACE_ID, 6,
        Attributes.of("opentracing.ref_type", "follows_from")));
    String json = new String(JaegerJsonEncoder.encodeTrace(List.of(back)),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(json).contains("FOLLOWS_FROM").doesNotContain("CHILD_OF");
  }

  @Test
  void responseEnvelopeHoldsEveryTrace() throws Exception {
    Span other = TestSpans.child().toBuilder().traceId(TraceId.of(1, 2)).build();
    List<List<Span>> traces = List.of(TestSpans.trace(), List.of(other));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JaegerJsonEncoder.encodeTracesResponse(traces, out);

    JsonNode response = MAPPER.readTree(out.toByteArray());
    assertThat(response.get("data")).hasSize(2);
    assertThat(response.get("total").asInt()).isEqualTo(2);
    assertThat(response.get("limit").asInt()).isZero();
    assertThat(response.get("offset").asInt()).isZero();
    assertThat(response.get("errors").isNull()).isTrue();
    assertThat(response.get("data").get(1).get("traceID").asText())
        .isEqualTo("00000000000000010000000000000002");
    List<List<Span>> back = JaegerJsonDecoder.decodeTraces(out.toByteArray());
    assertThat(back).hasSize(2);
    assertThat(back.get(1)).containsExactly(TestSpans.truncatedToMicros(other));
  }

  @Test
  void decodesJaegerOutputWithProcessesFirstAndUntypedValues() {
    String json = "{\"processes\":{\"p9\":{\"serviceName\":\"driver\",\"tags\":["
        + "{\"key\":\"hostname\",\"type\":\"string\",\"value\":\"host-1\"},"
        + "{\"key\":\"client-uuid\",\"value\":\"3d4c\"}]}},"
        + "\"traceID\":\"2a4c6e\",\"spans\":[{\"traceID\":\"2a4c6e\",\"spanID\":\"6a3c\","
        + "\"operationName\":\"FindDriverIDs\",\"references\":[{\"refType\":\"CHILD_OF\","
        + "\"traceID\":\"2a4c6e\",\"spanID\":\"1b\"}],\"startTime\":1700000000000001,"
        + "\"duration\":17,\"tags\":[{\"key\":\"param.location\",\"type\":\"string\","
        + "\"value\":\"728,326\"},{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"client\"},"
        + "{\"key\":\"error\",\"type\":\"bool\",\"value\":\"true\"},{\"key\":\"n\",\"value\":3},"
        + "{\"key\":\"x\",\"value\":1.5}],\"logs\":[{\"timestamp\":1700000000000002,\"fields\":["
        + "{\"key\":\"event\",\"type\":\"string\",\"value\":\"redis timeout\"},"
        + "{\"key\":\"driver_id\",\"type\":\"string\",\"value\":\"T7\"}]}],"
        + "\"processID\":\"p9\",\"warnings\":[\"clock skew\"]}]}";

    Span span = JaegerJsonDecoder.decodeTrace(json.getBytes(StandardCharsets.UTF_8)).get(0);

    assertThat(span.traceId()).isEqualTo(TraceId.of(0, 0x2a4c6e));
    assertThat(span.spanId()).isEqualTo(0x6a3c);
    assertThat(span.parentSpanId()).isEqualTo(0x1b);
    assertThat(span.name()).isEqualTo("FindDriverIDs");
    assertThat(span.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.status()).isEqualTo(Status.ERROR);
    assertThat(span.startEpochNanos()).isEqualTo(1_700_000_000_000_001_000L);
    assertThat(span.durationNanos()).isEqualTo(17_000L);
    assertThat(span.resource().serviceName()).isEqualTo("driver");
    assertThat(span.resource().attributes().getString("client-uuid")).isEqualTo("3d4c");
    assertThat(span.attributes().asMap()).containsOnlyKeys("param.location", "n", "x");
    assertThat(span.attributes().get("n")).isEqualTo(AttributeValue.of(3L));
    assertThat(span.attributes().get("x")).isEqualTo(AttributeValue.of(1.5));
    assertThat(span.events()).containsExactly(SpanEvent.of(
        1_700_000_000_000_002_000L, "redis timeout", Attributes.of("driver_id", "T7")));
  }

  @Test
  void errorsNameTheFieldPath() {
    assertError("[1]", "body[0]: expected a trace object, was a number");
    assertError("\"x\"", "body: expected a Jaeger trace or response object, was a string");
    assertError("{\"spans\":[{\"spanID\":\"1\"}]}", "spans[0].traceID: is required");
    assertError("{\"data\":[{\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\"},"
        + "{\"traceID\":\"1\",\"spanID\":\"zz\"}]}]}",
        "data[0].spans[1].spanID: not a hex digit 'z' in zz");
    assertError("{\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\",\"processID\":\"p3\"}]}",
        "spans[0].processID: no process \"p3\" in processes");
    assertError("{\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\",\"tags\":[{\"key\":\"k\","
        + "\"type\":\"int64\",\"value\":\"ten\"}]}]}",
        "spans[0].tags[0].value: not a int64: \"ten\"");
    assertError("{\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\",\"tags\":[{\"key\":\"k\","
        + "\"type\":\"complex\",\"value\":1}]}]}",
        "spans[0].tags[0].type: unknown tag type \"complex\" "
            + "(expected string, bool, int64, float64 or binary)");
    assertError("{\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\",\"references\":[{"
        + "\"refType\":\"CHILD_OF\",\"traceID\":\"1\"}]}]}",
        "spans[0].references[0].spanID: is required");
    assertError("{\"spans\":[{\"traceID\":\"1\",\"spanID\":\"1\",\"logs\":[{\"fields\":["
        + "{\"type\":\"string\",\"value\":\"v\"}]}]}]}",
        "spans[0].logs[0].fields[0].key: is required");
    assertError("{\"spans\":[", null);
    assertThatThrownBy(() -> JaegerJsonDecoder.decodeTrace("[]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CodecException.class).hasMessage("body: expected one trace, was 0");
  }

  private static void assertError(String json, String message) {
    var thrown = assertThatThrownBy(
        () -> JaegerJsonDecoder.decodeTraces(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CodecException.class);
    if (message != null) {
      thrown.hasMessage(message);
    } else {
      thrown.hasMessageStartingWith("body is not valid JSON: ");
    }
  }

  private static void assertTag(JsonNode tags, String key, String type, String valueJson)
      throws Exception {
    JsonNode tag = findTag(tags, key);
    assertThat(tag).as("tag " + key + " in " + tags).isNotNull();
    assertThat(tag.get("type").asText()).as(key + " type").isEqualTo(type);
    assertThat(tag.get("value")).as(key + " value").isEqualTo(MAPPER.readTree(valueJson));
  }

  private static JsonNode findTag(JsonNode tags, String key) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode tag : tags) {
      if (tag.get("key").asText().equals(key)) found.add(tag);
    }
    assertThat(found.size()).as("occurrences of " + key).isLessThanOrEqualTo(1);
    return found.isEmpty() ? null : found.get(0);
  }
}
