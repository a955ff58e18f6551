package dev.spanwise.query;

import static dev.spanwise.query.TestTraces.BASE_MICROS;
import static dev.spanwise.query.TestTraces.BASE_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.memory.InMemorySpanStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analysis endpoint and clock-skew correction on the trace endpoints, on the in-memory store,
 * with a trace whose backend clock runs 40 ms behind the frontend's.
 */
class TraceAnalysisApiTest {
  static final TraceId CART_ID = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");
  static final String CART_HEX = CART_ID.toHex();
  static final long ROOT = 0xc1L;
  static final long CLIENT = 0xc2L;
  static final long SERVER = 0xc3L;
  static final long SELECT = 0xc4L;
  static final long RENDER = 0xc5L;
  static final long MS = 1_000_000L;

  static final Resource WEB = Resource.of(Attributes.builder()
      .put("service.name", "frontend").put("host.name", "web-1").build());
  static final Resource API = Resource.of(Attributes.builder()
      .put("service.name", "backend").put("host.name", "api-1").build());

  static ApiServer server;

  /** Times in milliseconds from BASE. */
  static Span span(Resource resource, long id, long parent, String name, SpanKind kind,
      long startMs, long endMs) {
    return TestTraces.span(CART_ID, resource, id, parent, name, kind, startMs * 1000,
        (endMs - startMs) * 1000, Attributes.EMPTY, Status.UNSET);
  }

  /**
   * frontend GET /cart [0, 100] -> GET /api/cart client [10, 90] -> backend cart [-20, 40] ->
   * SELECT [-10, 30]; frontend render [92, 98]. Corrected, the backend moves by +40 ms:
   * cart [20, 80], SELECT [30, 70].
   */
  static List<Span> cart() {
    return List.of(
        span(WEB, ROOT, 0, "GET /cart", SpanKind.SERVER, 0, 100),
        span(WEB, CLIENT, ROOT, "GET /api/cart", SpanKind.CLIENT, 10, 90),
        span(API, SERVER, CLIENT, "cart", SpanKind.SERVER, -20, 40),
        span(API, SELECT, SERVER, "SELECT", SpanKind.CLIENT, -10, 30),
        span(WEB, RENDER, ROOT, "render", SpanKind.INTERNAL, 92, 98));
  }

  @BeforeAll
  static void start() throws IOException {
    InMemorySpanStore store = InMemorySpanStore.create();
    store.spanConsumer().accept(Tenants.DEFAULT, cart());
    QueryOptions options = TestTraces.options();
    server = new ApiServer(sb -> {
      new SpanwiseQueryApi(store, options).configure(sb);
      new JaegerQueryApi(store, options).configure(sb);
      new JaegerApiV3(store, options).configure(sb);
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<String> segments(JsonNode analysis) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : analysis.get("criticalPath").get(0).get("segments")) {
      out.add(s.get("spanId").asText().substring(14) + ":" + s.get("startOffsetNanos").asLong() / MS
          + "-" + s.get("endOffsetNanos").asLong() / MS);
    }
    return out;
  }

  static JsonNode spanEntry(JsonNode analysis, long spanId) {
    String hex = String.format("%016x", spanId);
    for (JsonNode s : analysis.get("spans")) {
      if (s.get("spanId").asText().equals(hex)) return s;
    }
    throw new AssertionError("no span " + hex);
  }

  @Test
  void analysisOfTheCorrectedTrace() {
    ApiServer.Reply reply = server.get("/api/spanwise/traces/" + CART_HEX + "/analysis");
    assertThat(reply.status()).isEqualTo(200);
    JsonNode a = reply.json();
    assertThat(a.get("traceId").asText()).isEqualTo(CART_HEX);
    assertThat(a.get("clockSkewCorrected").asBoolean()).isTrue();
    assertThat(a.get("startTimeUnixNano").asText()).isEqualTo(Long.toString(BASE_NANOS));
    assertThat(a.get("startTimeUnixMicros").asLong()).isEqualTo(BASE_MICROS);
    assertThat(a.get("durationNanos").asLong()).isEqualTo(100 * MS);

    assertThat(a.get("criticalPath")).hasSize(1);
    JsonNode path = a.get("criticalPath").get(0);
    assertThat(path.get("rootSpanId").asText()).isEqualTo("00000000000000c1");
    assertThat(path.get("rootKind").asText()).isEqualTo("server");
    assertThat(path.get("durationNanos").asLong()).isEqualTo(100 * MS);
    assertThat(segments(a)).containsExactly("c1:0-10", "c2:10-20", "c3:20-30", "c4:30-70",
        "c3:70-80", "c2:80-90", "c1:90-92", "c5:92-98", "c1:98-100");
    JsonNode first = path.get("segments").get(3);
    assertThat(first.get("kind").asText()).isEqualTo("client");
    assertThat(first.get("startTimeUnixNano").asText())
        .isEqualTo(Long.toString(BASE_NANOS + 30 * MS));
    assertThat(first.get("endTimeUnixNano").asText())
        .isEqualTo(Long.toString(BASE_NANOS + 70 * MS));
    assertThat(first.get("durationNanos").asLong()).isEqualTo(40 * MS);

    // Spans in waterfall order (depth first, children by start).
    assertThat(a.get("spans")).extracting(s -> s.get("spanId").asText())
        .containsExactly("00000000000000c1", "00000000000000c2", "00000000000000c3",
            "00000000000000c4", "00000000000000c5");
    JsonNode root = spanEntry(a, ROOT);
    assertThat(root.get("parentSpanId").isNull()).isTrue();
    assertThat(root.get("depth").asInt()).isZero();
    assertThat(root.get("orphan").asBoolean()).isFalse();
    assertThat(root.get("serviceName").asText()).isEqualTo("frontend");
    assertThat(root.get("name").asText()).isEqualTo("GET /cart");
    assertThat(root.get("selfTimeNanos").asLong()).isEqualTo(14 * MS);
    assertThat(root.get("criticalPathNanos").asLong()).isEqualTo(14 * MS);
    assertThat(root.get("warnings")).isEmpty();

    JsonNode backend = spanEntry(a, SERVER);
    assertThat(backend.get("kind").asText()).isEqualTo("server");
    assertThat(backend.get("parentSpanId").asText()).isEqualTo("00000000000000c2");
    assertThat(backend.get("depth").asInt()).isEqualTo(2);
    assertThat(backend.get("asynchronous").asBoolean()).isFalse();
    assertThat(backend.get("startOffsetNanos").asLong()).isEqualTo(20 * MS);
    assertThat(backend.get("durationNanos").asLong()).isEqualTo(60 * MS);
    assertThat(backend.get("selfTimeNanos").asLong()).isEqualTo(20 * MS);
    assertThat(backend.get("criticalPathNanos").asLong()).isEqualTo(20 * MS);
    assertThat(backend.get("warnings")).extracting(JsonNode::asText)
        .containsExactly("clock skew adjusted by 40ms");
    assertThat(spanEntry(a, SELECT).get("warnings")).extracting(JsonNode::asText)
        .containsExactly("clock skew adjusted by 40ms");
    assertThat(spanEntry(a, CLIENT).get("criticalPathNanos").asLong()).isEqualTo(20 * MS);
    assertThat(spanEntry(a, RENDER).get("selfTimeNanos").asLong()).isEqualTo(6 * MS);

    JsonNode stats = a.get("statistics");
    assertThat(stats).extracting(r -> r.get("serviceName").asText() + "/"
        + r.get("operationName").asText())
        .containsExactly("backend/SELECT", "backend/cart", "frontend/GET /api/cart",
            "frontend/GET /cart", "frontend/render");
    JsonNode select = stats.get(0);
    assertThat(select.get("count").asInt()).isEqualTo(1);
    assertThat(select.get("totalDurationNanos").asLong()).isEqualTo(40 * MS);
    assertThat(select.get("selfTimeNanos").asLong()).isEqualTo(40 * MS);
    assertThat(select.get("criticalPathNanos").asLong()).isEqualTo(40 * MS);
    assertThat(select.get("minDurationNanos").asLong()).isEqualTo(40 * MS);
    assertThat(select.get("avgDurationNanos").asLong()).isEqualTo(40 * MS);
    assertThat(select.get("maxDurationNanos").asLong()).isEqualTo(40 * MS);
  }

  @Test
  void analysisWithoutCorrectionClipsTheSkewedSpans() {
    for (String param : List.of("adjust=false", "clockSkew=false", "clockSkew=0")) {
      JsonNode a = server.get("/api/spanwise/traces/" + CART_HEX + "/analysis?" + param).json();
      assertThat(a.get("clockSkewCorrected").asBoolean()).as(param).isFalse();
      assertThat(a.get("startTimeUnixNano").asText())
          .isEqualTo(Long.toString(BASE_NANOS - 20 * MS));
      // Offsets now count from the backend's (skewed) start, 20 ms before the root.
      assertThat(segments(a)).as(param).containsExactly("c1:20-30", "c4:30-50", "c3:50-60",
          "c2:60-110", "c1:110-112", "c5:112-118", "c1:118-120");
      assertThat(spanEntry(a, SERVER).get("warnings")).isEmpty();
      assertThat(spanEntry(a, CLIENT).get("criticalPathNanos").asLong()).isEqualTo(50 * MS);
    }
  }

  @Test
  void traceResponseIsCorrectedWithWarnings() {
    JsonNode body = server.get("/api/spanwise/traces/" + CART_HEX).json();
    assertThat(body.get("clockSkewCorrected").asBoolean()).isTrue();
    assertThat(otlpStart(body.get("trace"), SERVER)).isEqualTo(BASE_NANOS + 20 * MS);
    assertThat(otlpStart(body.get("trace"), SELECT)).isEqualTo(BASE_NANOS + 30 * MS);
    assertThat(body.get("summary").get("startTimeUnixNano").asText())
        .isEqualTo(Long.toString(BASE_NANOS));
    JsonNode warnings = body.get("warnings");
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0).get("spanId").asText()).isEqualTo("00000000000000c3");
    assertThat(warnings.get(0).get("kind").asText()).isEqualTo("server");
    assertThat(warnings.get(0).get("deltaNanos").asLong()).isEqualTo(40 * MS);
    assertThat(warnings.get(0).get("message").asText()).isEqualTo("clock skew adjusted by 40ms");
    assertThat(warnings.get(1).get("spanId").asText()).isEqualTo("00000000000000c4");

    JsonNode raw = server.get("/api/spanwise/traces/" + CART_HEX + "?adjust=false").json();
    assertThat(raw.get("clockSkewCorrected").asBoolean()).isFalse();
    assertThat(raw.get("warnings")).isEmpty();
    assertThat(otlpStart(raw.get("trace"), SERVER)).isEqualTo(BASE_NANOS - 20 * MS);
  }

  static long otlpStart(JsonNode tracesData, long spanId) {
    String hex = String.format("%016x", spanId);
    for (JsonNode rs : tracesData.get("resourceSpans")) {
      for (JsonNode ss : rs.get("scopeSpans")) {
        for (JsonNode s : ss.get("spans")) {
          if (s.get("spanId").asText().equals(hex)) {
            return Long.parseLong(s.get("startTimeUnixNano").asText());
          }
        }
      }
    }
    throw new AssertionError("no span " + hex);
  }

  static long jaegerStartMicros(JsonNode trace, long spanId) {
    String hex = String.format("%016x", spanId);
    for (JsonNode s : trace.get("spans")) {
      if (s.get("spanID").asText().equals(hex)) return s.get("startTime").asLong();
    }
    throw new AssertionError("no span " + hex);
  }

  @Test
  void jaegerTraceIsCorrectedUnlessTurnedOff() {
    JsonNode trace = server.get("/api/traces/" + CART_HEX).json().get("data").get(0);
    assertThat(jaegerStartMicros(trace, SERVER)).isEqualTo(BASE_MICROS + 20_000);
    assertThat(jaegerStartMicros(trace, ROOT)).isEqualTo(BASE_MICROS);

    for (String param : List.of("adjust=false", "clockSkew=false")) {
      JsonNode raw = server.get("/api/traces/" + CART_HEX + "?" + param).json().get("data")
          .get(0);
      assertThat(jaegerStartMicros(raw, SERVER)).as(param).isEqualTo(BASE_MICROS - 20_000);
    }
    JsonNode byId = server.get("/api/traces?traceID=" + CART_HEX + "&adjust=false").json()
        .get("data").get(0);
    assertThat(jaegerStartMicros(byId, SELECT)).isEqualTo(BASE_MICROS - 10_000);
    JsonNode byIdCorrected = server.get("/api/traces?traceID=" + CART_HEX).json()
        .get("data").get(0);
    assertThat(jaegerStartMicros(byIdCorrected, SELECT)).isEqualTo(BASE_MICROS + 30_000);

    JsonNode v3 = server.get("/api/v3/traces/" + CART_HEX + "?clockSkew=false").json();
    assertThat(otlpStart(v3.get("result"), SERVER)).isEqualTo(BASE_NANOS - 20 * MS);
    JsonNode v3Corrected = server.get("/api/v3/traces/" + CART_HEX).json();
    assertThat(otlpStart(v3Corrected.get("result"), SERVER)).isEqualTo(BASE_NANOS + 20 * MS);
  }

  static JsonNode jaegerWarnings(JsonNode trace, long spanId) {
    String hex = String.format("%016x", spanId);
    for (JsonNode s : trace.get("spans")) {
      if (s.get("spanID").asText().equals(hex)) return s.get("warnings");
    }
    throw new AssertionError("no span " + hex);
  }

  @Test
  void jaegerSpansCarryTheClockSkewWarningJaegerUiShows() {
    JsonNode trace = server.get("/api/traces/" + CART_HEX).json().get("data").get(0);
    assertThat(jaegerWarnings(trace, SERVER)).hasSize(1);
    assertThat(jaegerWarnings(trace, SERVER).get(0).asText())
        .isEqualTo("clock skew adjusted by 40ms");
    assertThat(jaegerWarnings(trace, ROOT).isNull()).isTrue();

    JsonNode byId = server.get("/api/traces?traceID=" + CART_HEX).json().get("data").get(0);
    assertThat(jaegerWarnings(byId, SERVER).get(0).asText())
        .isEqualTo("clock skew adjusted by 40ms");

    JsonNode raw = server.get("/api/traces/" + CART_HEX + "?adjust=false").json().get("data")
        .get(0);
    assertThat(jaegerWarnings(raw, SERVER).isNull()).isTrue();
  }

  /** Asserts Spanwise's error shape and returns its message. */
  static String error(String path, int status, String parameter) {
    ApiServer.Reply reply = server.get(path);
    assertThat(reply.status()).as(path).isEqualTo(status);
    JsonNode error = reply.json().get("error");
    assertThat(error.get("status").asInt()).isEqualTo(status);
    if (parameter == null) {
      assertThat(error.has("parameter")).isFalse();
    } else {
      assertThat(error.get("parameter").asText()).isEqualTo(parameter);
    }
    return error.get("message").asText();
  }

  @Test
  void badParametersAndUnknownTraces() {
    assertThat(error("/api/spanwise/traces/" + CART_HEX + "/analysis?adjust=maybe", 400, "adjust"))
        .isEqualTo("parameter 'adjust' must be true or false, was maybe");
    assertThat(error("/api/spanwise/traces/" + CART_HEX + "?clockSkew=x", 400, "clockSkew"))
        .startsWith("parameter 'clockSkew'");
    assertThat(error("/api/spanwise/traces/zz/analysis", 400, "traceId")).contains("traceId");
    assertThat(error("/api/spanwise/traces/" + "1".repeat(32) + "/analysis", 404, null))
        .contains("not found");

    ApiServer.Reply jaeger = server.get("/api/traces/" + CART_HEX + "?adjust=nope");
    assertThat(jaeger.status()).isEqualTo(400);
    assertThat(jaeger.json().get("errors").get(0).get("msg").asText()).contains("'adjust'");
  }
}
