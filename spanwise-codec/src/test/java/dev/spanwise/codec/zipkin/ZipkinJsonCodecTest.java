package dev.spanwise.codec.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.TestSpans;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.Status;
import dev.spanwise.model.StatusCode;
import dev.spanwise.model.TraceId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZipkinJsonCodecTest {
  /** The sample span of Zipkin's own README and API documentation. */
  static final String ZIPKIN_DOC_SAMPLE = "[\n"
      + "  {\n"
      + "    \"id\": \"352bff9a74ca9ad2\",\n"
      + "    \"traceId\": \"5af7183fb1d4cf5f\",\n"
      + "    \"parentId\": \"6b221d5bc9e6496c\",\n"
      + "    \"name\": \"get /api\",\n"
      + "    \"timestamp\": 1556604172355737,\n"
      + "    \"duration\": 1431,\n"
      + "    \"kind\": \"SERVER\",\n"
      + "    \"localEndpoint\": {\n"
      + "      \"serviceName\": \"backend\",\n"
      + "      \"ipv4\": \"192.168.99.1\",\n"
      + "      \"port\": 3306\n"
      + "    },\n"
      + "    \"remoteEndpoint\": {\n"
      + "      \"ipv4\": \"172.19.0.2\",\n"
      + "      \"port\": 58648\n"
      + "    },\n"
      + "    \"tags\": {\n"
      + "      \"http.method\": \"GET\",\n"
      + "      \"http.path\": \"/api\"\n"
      + "    }\n"
      + "  }\n"
      + "]";

  @Test
  void decodesZipkinsDocumentedSample() {
    Span span = ZipkinJsonDecoder.decode(bytes(ZIPKIN_DOC_SAMPLE)).get(0);

    assertThat(span.traceId()).isEqualTo(TraceId.of(0, 0x5af7183fb1d4cf5fL));
    assertThat(span.spanId()).isEqualTo(0x352bff9a74ca9ad2L);
    assertThat(span.parentSpanId()).isEqualTo(0x6b221d5bc9e6496cL);
    assertThat(span.name()).isEqualTo("get /api");
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.startEpochNanos()).isEqualTo(1556604172355737_000L);
    assertThat(span.durationNanos()).isEqualTo(1431_000L);
    assertThat(span.resource()).isEqualTo(Resource.ofServiceName("backend"));
    assertThat(span.attributes().asMap()).containsExactly(
        java.util.Map.entry("http.method", AttributeValue.of("GET")),
        java.util.Map.entry("http.path", AttributeValue.of("/api")),
        java.util.Map.entry("network.local.address", AttributeValue.of("192.168.99.1")),
        java.util.Map.entry("network.local.port", AttributeValue.of(3306L)),
        java.util.Map.entry("network.peer.address", AttributeValue.of("172.19.0.2")),
        java.util.Map.entry("network.peer.port", AttributeValue.of(58648L)));
    assertThat(span.status()).isEqualTo(Status.UNSET);
  }

  @Test
  void reencodesZipkinsSampleAsSent() {
    List<Span> spans = ZipkinJsonDecoder.decode(bytes(ZIPKIN_DOC_SAMPLE));

    String json = new String(ZipkinJsonEncoder.encodeSpans(spans), StandardCharsets.UTF_8);

    assertThat(json).isEqualTo("[{\"traceId\":\"5af7183fb1d4cf5f\",\"parentId\":\"6b221d5bc9e6496c\","
        + "\"id\":\"352bff9a74ca9ad2\",\"kind\":\"SERVER\",\"name\":\"get /api\","
        + "\"timestamp\":1556604172355737,\"duration\":1431,"
        + "\"localEndpoint\":{\"serviceName\":\"backend\",\"ipv4\":\"192.168.99.1\",\"port\":3306},"
        + "\"remoteEndpoint\":{\"ipv4\":\"172.19.0.2\",\"port\":58648},"
        + "\"tags\":{\"http.method\":\"GET\",\"http.path\":\"/api\"}}]");
  }

  @Test
  void mapsErrorStatusScopePeerAndAnnotations() {
    String json = "[{\"traceId\":\"463ac35c9f6413ad48485a3953bb6124\",\"id\":\"a2fb4a1d1a96d312\","
        + "\"kind\":\"CLIENT\",\"name\":\"Charge\",\"timestamp\":1000,\"duration\":5,"
        + "\"localEndpoint\":{\"serviceName\":\"Checkout\",\"ipv6\":\"2001:db8::c001\"},"
        + "\"remoteEndpoint\":{\"serviceName\":\"payments\",\"port\":443},"
        + "\"annotations\":[{\"timestamp\":1002,\"value\":\"ws\"},{\"timestamp\":1004,\"value\":\"wr\"}],"
        + "\"tags\":{\"error\":\"card declined\",\"otel.scope.name\":\"grpc\","
        + "\"otel.scope.version\":\"1.0\",\"retries\":3},\"debug\":true,\"unknown\":{\"x\":[1]}}]";

    Span span = ZipkinJsonDecoder.decode(bytes(json)).get(0);

    assertThat(span.traceId().toHex()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(span.isRoot()).isTrue();
    assertThat(span.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.name()).as("Zipkin's names kept as sent").isEqualTo("Charge");
    assertThat(span.serviceName()).isEqualTo("Checkout");
    assertThat(span.status()).isEqualTo(Status.error("card declined"));
    assertThat(span.scope()).isEqualTo(InstrumentationScope.of("grpc", "1.0"));
    assertThat(span.flags()).as("debug implies sampled").isEqualTo(1);
    assertThat(span.attributes().asMap()).containsOnly(
        java.util.Map.entry("retries", AttributeValue.of("3")),
        java.util.Map.entry("network.local.address", AttributeValue.of("2001:db8::c001")),
        java.util.Map.entry("peer.service", AttributeValue.of("payments")),
        java.util.Map.entry("network.peer.port", AttributeValue.of(443L)));
    assertThat(span.events()).containsExactly(
        SpanEvent.of(1_002_000, "ws", Attributes.EMPTY),
        SpanEvent.of(1_004_000, "wr", Attributes.EMPTY));
  }

  @Test
  void otelStatusTagsWinOverTheErrorTag() {
    Span ok = decodeOne("\"tags\":{\"otel.status_code\":\"OK\",\"error\":\"ignored\"}");
    assertThat(ok.status()).isEqualTo(Status.OK);
    Span described = decodeOne(
        "\"tags\":{\"otel.status_code\":\"ERROR\",\"otel.status_description\":\"timeout\"}");
    assertThat(described.status()).isEqualTo(Status.error("timeout"));
    assertThat(described.attributes().isEmpty()).isTrue();
    Span emptyError = decodeOne("\"tags\":{\"error\":\"\"}");
    assertThat(emptyError.status().code()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void spanKindTagStandsInForAMissingKind() {
    assertThat(decodeOne("\"tags\":{\"span.kind\":\"internal\"}").kind())
        .isEqualTo(SpanKind.INTERNAL);
    Span explicit = decodeOne("\"kind\":\"PRODUCER\",\"tags\":{\"span.kind\":\"internal\"}");
    assertThat(explicit.kind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(explicit.attributes().getString("span.kind")).isEqualTo("internal");
    assertThat(decodeOne("\"kind\":\"WEIRD\"").kind()).isEqualTo(SpanKind.UNSPECIFIED);
  }

  @Test
  void roundTripsModelSpansThatZipkinCanExpress() {
    Span server = Span.builder()
        .resource(Resource.ofServiceName("frontend"))
        .scope(InstrumentationScope.of("io.example", "2.0"))
        .traceId(TestSpans.TRACE_ID)
        .spanId(TestSpans.ROOT_ID)
        .name("GET /")
        .kind(SpanKind.SERVER)
        .startEpochNanos(1_700_000_000_000_000_000L)
        .endEpochNanos(1_700_000_000_250_000_000L)
        .attributes(Attributes.builder()
            .put("http.route", "/")
            .put("network.local.address", "10.0.0.1")
            .put("network.local.port", 8080L)
            .build())
        .addEvent(SpanEvent.of(1_700_000_000_001_000_000L, "wire.send", Attributes.EMPTY))
        .status(Status.error("boom"))
        .build();
    Span internal = Span.builder()
        .resource(Resource.ofServiceName("frontend"))
        .traceId(TestSpans.TRACE_ID)
        .spanId(TestSpans.CHILD_ID)
        .parentSpanId(TestSpans.ROOT_ID)
        .name("render")
        .kind(SpanKind.INTERNAL)
        .startEpochNanos(1_700_000_000_010_000_000L)
        .endEpochNanos(1_700_000_000_020_000_000L)
        .attributes(Attributes.of("peer.service", "cache", "network.peer.address", "::1"))
        .status(Status.OK)
        .build();
    List<Span> trace = List.of(server, internal);

    List<Span> decoded = ZipkinJsonDecoder.decode(ZipkinJsonEncoder.encodeSpans(trace));

    assertThat(decoded).containsExactlyElementsOf(trace);
  }

  @Test
  void richSpanDegradesToStringTagsAndResourceTags() {
    String json = new String(
        ZipkinJsonEncoder.encodeSpans(List.of(TestSpans.richRoot())), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"traceId\":\"5af7183fb1d4cf5f463acd0b1e5f2a7c\"")
        .contains("\"localEndpoint\":{\"serviceName\":\"frontend\"}")
        .contains("\"http.response.status_code\":\"500\"")
        .contains("\"tags\":\"[\\\"a\\\",7,true]\"")
        .contains("\"host.name\":\"web-1\"")
        .contains("\"otel.scope.name\":\"io.example.http\"")
        .contains("\"error\":\"payment declined\"")
        .contains("{\"timestamp\":1704164645123457,"
            + "\"value\":\"exception {\\\"exception.type\\\":\\\"java.io.IOException\\\","
            + "\\\"exception.message\\\":\\\"boom\\\"}\"}")
        .doesNotContain("service.name");
  }

  @Test
  void marksTheServerSideOfASharedSpanAndWritesTracesAsArrays() throws Exception {
    Span client = TestSpans.child();
    Span server = client.toBuilder().kind(SpanKind.SERVER).resource(Resource.ofServiceName("db"))
        .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ZipkinJsonEncoder.encodeTraces(List.of(List.of(client, server), List.of()), out);
    String json = out.toString(StandardCharsets.UTF_8);

    assertThat(json).startsWith("[[{").endsWith("}],[]]");
    assertThat(json.split("\"shared\":true", -1)).hasSize(2);
    assertThat(json.indexOf("\"shared\":true")).isGreaterThan(json.indexOf("\"kind\":\"SERVER\""));
  }

  @Test
  void shortIdsArePaddedAndSubMicrosecondDurationsRoundUp() {
    Span span = decodeOne("\"duration\":0");
    assertThat(span.durationNanos()).isZero();
    Span padded = ZipkinJsonDecoder.decode(bytes(
        "[{\"traceId\":\"abc\",\"id\":\"1\",\"parentId\":\"0000000000000000\"}]")).get(0);
    assertThat(padded.traceId()).isEqualTo(TraceId.of(0, 0xabc));
    assertThat(padded.spanId()).isEqualTo(1);
    assertThat(padded.isRoot()).isTrue();
    Span tiny = padded.toBuilder().startEpochNanos(5_000).endEpochNanos(5_400).build();
    assertThat(new String(ZipkinJsonEncoder.encodeSpans(List.of(tiny)), StandardCharsets.UTF_8))
        .contains("\"timestamp\":5,\"duration\":1");
  }

  @Test
  void readsFromAStream() {
    assertThat(ZipkinJsonDecoder.decode(new ByteArrayInputStream(bytes(ZIPKIN_DOC_SAMPLE))))
        .hasSize(1);
    assertThat(ZipkinJsonDecoder.decode(bytes("[]"))).isEmpty();
  }

  @Test
  void everyErrorNamesTheSpanAndField() {
    assertError("", "body: expected a JSON array of spans, was the end of the input");
    assertError("{}", "body: expected a JSON array of spans, was an object");
    assertError("[1]", "spans[0]: expected an object, was a number");
    assertError("[{\"id\":\"1\"}]", "spans[0].traceId: is required");
    assertError("[" + ok() + ",{\"traceId\":\"1\"}]", "spans[1].id: is required");
    assertError("[" + ok() + "," + ok() + ",{\"traceId\":\"xyz\",\"id\":\"1\"}]",
        "spans[2].traceId: not a hex digit 'x' in xyz");
    assertError("[{\"traceId\":\"" + "a".repeat(33) + "\",\"id\":\"1\"}]",
        "spans[0].traceId: trace id must be 1 to 32 hex characters, was 33: " + "a".repeat(33));
    assertError("[{\"traceId\":\"0\",\"id\":\"1\"}]", "spans[0].traceId: must not be all zero");
    assertError("[{\"traceId\":\"1\",\"id\":\"0\"}]", "spans[0].id: must not be all zero");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"parentId\":\"g\"}]",
        "spans[0].parentId: not a hex digit 'g' in g");
    assertError("[{\"traceId\":1,\"id\":\"1\"}]", "spans[0].traceId: expected a string, was a number");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"timestamp\":\"soon\"}]",
        "spans[0].timestamp: expected an integer, was \"soon\"");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"duration\":-4}]",
        "spans[0].duration: must not be negative, was -4");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"localEndpoint\":{\"port\":70000}}]",
        "spans[0].localEndpoint.port: must be 0 to 65535, was 70000");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"annotations\":[{\"timestamp\":1}]}]",
        "spans[0].annotations[0].value: is required");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"tags\":{\"k\":[1]}}]",
        "spans[0].tags.k: expected a string, was an array");
    assertError("[" + ok() + ",{\"traceId\":\"1\",\"id\":\"1\",\"annotations\":"
        + "[{\"timestamp\":1,\"value\":\"a\"},{\"timestamp\":-1,\"value\":\"b\"}]}]",
        "spans[1].annotations[1].timestamp: must not be negative");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"annotations\":[{\"value\":\"a\"},2]}]",
        "spans[0].annotations[1]: expected an object, was a number");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"annotations\":{}}]",
        "spans[0].annotations: expected an array, was an object");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"localEndpoint\":\"a\"}]",
        "spans[0].localEndpoint: expected an object, was a string");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"localEndpoint\":{\"serviceName\":\"a\"},"
        + "\"remoteEndpoint\":{\"ipv4\":\"1.2.3.4\",\"serviceName\":true}}]",
        "spans[0].remoteEndpoint.serviceName: expected a string, was a boolean");
    assertError("[{\"traceId\":\"1\",\"id\":\"1\",\"debug\":\"yes\"}]",
        "spans[0].debug: expected a boolean, was a string");
    assertThatThrownBy(() -> ZipkinJsonDecoder.decode(bytes("[{\"traceId\":")))
        .isInstanceOf(CodecException.class).hasMessageStartingWith("body is not valid JSON: ");
    assertThatThrownBy(() -> ZipkinJsonDecoder.decode(bytes("not json")))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("body is not valid JSON: ")
        .hasMessageContaining("line 1, column");
  }

  private static String ok() {
    return "{\"traceId\":\"1\",\"id\":\"2\"}";
  }

  private static void assertError(String json, String message) {
    assertThatThrownBy(() -> ZipkinJsonDecoder.decode(bytes(json)))
        .isInstanceOf(CodecException.class)
        .hasMessage(message);
  }

  private static Span decodeOne(String fields) {
    return ZipkinJsonDecoder.decode(bytes(
        "[{\"traceId\":\"1\",\"id\":\"2\",\"timestamp\":10," + fields + "}]")).get(0);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
