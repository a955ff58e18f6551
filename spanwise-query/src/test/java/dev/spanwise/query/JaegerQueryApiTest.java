package dev.spanwise.query;

import static dev.spanwise.query.TestTraces.BASE_MICROS;
import static dev.spanwise.query.TestTraces.BASE_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spanwise.model.SpanKind;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.TraceQuery;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JaegerQueryApiTest {
  static FakeSpanStore store;
  static ApiServer server;

  @BeforeAll
  static void start() {
    store = TestTraces.store();
    server = new ApiServer(sb -> new JaegerQueryApi(store, TestTraces.options()).configure(sb));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void assertEnvelope(JsonNode json, int total) {
    assertThat(json.get("total").asInt()).isEqualTo(total);
    assertThat(json.get("limit").asInt()).isZero();
    assertThat(json.get("offset").asInt()).isZero();
    assertThat(json.get("errors").isNull()).isTrue();
  }

  /** Asserts Jaeger's error form and returns its message. */
  static String assertError(ApiServer.Reply reply, int status) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.json().get("data").isNull()).isTrue();
    JsonNode error = reply.json().get("errors").get(0);
    assertThat(error.get("code").asInt()).isEqualTo(status);
    return error.get("msg").asText();
  }

  @Test
  void services() {
    ApiServer.Reply reply = server.get("/api/services");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json().get("data")).extracting(JsonNode::asText)
        .containsExactly("backend", "frontend");
    assertEnvelope(reply.json(), 2);
  }

  @Test
  void answersAndErrorsSayHowLongTheServerTookInServerTiming() {
    assertThat(server.get("/api/services").serverTiming()).matches("app;dur=\\d+\\.\\d{3}");
    ApiServer.Reply bad = server.get("/api/traces?service=frontend&limit=x");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.serverTiming()).matches("app;dur=\\d+\\.\\d{3}");
  }

  @Test
  void serviceOperationsAreDistinctNames() {
    ApiServer.Reply reply = server.get("/api/services/frontend/operations");
    assertThat(reply.json().get("data")).extracting(JsonNode::asText)
        .containsExactly("GET /checkout", "GET /health", "POST /api/order");
    assertEnvelope(reply.json(), 3);
  }

  @Test
  void operationsWithKind() {
    ApiServer.Reply reply = server.get("/api/operations?service=backend");
    JsonNode data = reply.json().get("data");
    assertThat(data).hasSize(2);
    assertThat(data.get(0).get("name").asText()).isEqualTo("SELECT orders");
    assertThat(data.get(0).get("spanKind").asText()).isEqualTo("client");
    assertThat(data.get(1).get("name").asText()).isEqualTo("checkout");
    assertThat(data.get(1).get("spanKind").asText()).isEqualTo("server");

    reply = server.get("/api/operations?service=backend&spanKind=server");
    assertThat(reply.json().get("data")).hasSize(1);
    assertEnvelope(reply.json(), 1);
  }

  @Test
  void operationsParameterErrors() {
    assertThat(assertError(server.get("/api/operations"), 400))
        .isEqualTo("parameter 'service' is required");
    assertThat(assertError(server.get("/api/operations?service=a&spanKind=sideways"), 400))
        .startsWith("parameter 'spanKind' is not a span kind");
  }

  @Test
  void searchParsesJaegerParameters() {
    String tags = enc("{\"db.system\":\"postgresql\",\"error\":\"true\"}");
    ApiServer.Reply reply = server.get("/api/traces?service=nobody&operation=op&tags=" + tags
        + "&tag=span.kind:client&tag=url:http://x&minDuration=1.2s&maxDuration=5s"
        + "&start=" + BASE_MICROS + "&end=" + (BASE_MICROS + 1000) + "&limit=20&lookback=1h");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("data")).isEmpty();
    assertEnvelope(reply.json(), 0);

    TraceQuery q = store.lastQuery;
    assertThat(q.serviceName()).isEqualTo("nobody");
    assertThat(q.spanName()).isEqualTo("op");
    assertThat(q.spanKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(q.errorOnly()).isTrue();
    assertThat(q.attributeFilters()).containsExactlyInAnyOrder(
        AttributeFilter.equalTo("db.system", "postgresql"),
        AttributeFilter.equalTo("url", "http://x"));
    assertThat(q.minDurationNanos()).isEqualTo(1_200_000_000L);
    assertThat(q.maxDurationNanos()).isEqualTo(5_000_000_000L);
    assertThat(q.startEpochNanos()).isEqualTo(BASE_NANOS);
    assertThat(q.endEpochNanos()).isEqualTo(BASE_NANOS + 1_000_000);
    assertThat(q.limit()).isEqualTo(20);
  }

  @Test
  void searchDefaultsAndLookback() {
    server.get("/api/traces?service=nobody&lookback=2h");
    TraceQuery q = store.lastQuery;
    long now = TestTraces.CLOCK.millis() * 1_000_000L;
    assertThat(q.endEpochNanos()).isEqualTo(now);
    assertThat(q.startEpochNanos()).isEqualTo(now - 7_200_000_000_000L);
    assertThat(q.limit()).isEqualTo(JaegerQueryApi.DEFAULT_LIMIT);

    server.get("/api/traces?lookback=custom&limit=0");
    q = store.lastQuery;
    assertThat(q.serviceName()).isNull();
    assertThat(q.startEpochNanos()).isEqualTo(now - JaegerQueryApi.DEFAULT_LOOKBACK_NANOS);
    assertThat(q.limit()).isEqualTo(JaegerQueryApi.DEFAULT_LIMIT);
  }

  @Test
  void searchParameterErrorsNameTheParameter() {
    assertThat(assertError(server.get("/api/traces?service=a&minDuration=fast"), 400))
        .startsWith("parameter 'minDuration' is not a duration");
    assertThat(assertError(server.get("/api/traces?service=a&maxDuration=10"), 400))
        .startsWith("parameter 'maxDuration' needs a unit");
    assertThat(assertError(server.get("/api/traces?minDuration=2s&maxDuration=1s"), 400))
        .isEqualTo("parameter 'maxDuration' is less than 'minDuration'");
    assertThat(assertError(server.get("/api/traces?limit=many"), 400))
        .isEqualTo("parameter 'limit' is not an integer: many");
    assertThat(assertError(server.get("/api/traces?limit=-1"), 400))
        .startsWith("parameter 'limit' must be between 0 and 10000");
    assertThat(assertError(server.get("/api/traces?start=yesterday"), 400))
        .isEqualTo("parameter 'start' is not an integer: yesterday");
    assertThat(assertError(server.get("/api/traces?start=2000&end=1000"), 400))
        .isEqualTo("parameter 'start' is after 'end'");
    assertThat(assertError(server.get("/api/traces?lookback=soon"), 400))
        .startsWith("parameter 'lookback' ");
    assertThat(assertError(server.get("/api/traces?tag=nocolon"), 400))
        .isEqualTo("parameter 'tag' must be key:value, was nocolon");
    assertThat(assertError(server.get("/api/traces?tags=" + enc("{bad")), 400))
        .startsWith("parameter 'tags' is not valid JSON");
    assertThat(assertError(server.get("/api/traces?tags=" + enc("{\"span.kind\":\"up\"}")), 400))
        .startsWith("parameter 'tags' is not a span kind");
    assertThat(assertError(server.get("/api/traces?tags=" + enc("{\"\":\"v\"}")), 400))
        .startsWith("parameter 'tags' has an empty key");
    assertThat(assertError(server.get("/api/traces?traceID=nothex"), 400))
        .startsWith("parameter 'traceID' is not a trace id");
  }

  @Test
  void unknownTraceIs404() {
    ApiServer.Reply reply = server.get("/api/traces/0123456789abcdef");
    assertThat(assertError(reply, 404)).isEqualTo("trace not found");
    assertThat(reply.json().get("total").asInt()).isZero();
  }

  @Test
  void malformedTraceIdIs400() {
    assertThat(assertError(server.get("/api/traces/not-a-trace"), 400))
        .startsWith("parameter 'traceID' is not a trace id");
  }

  @Test
  void unknownTraceIdsInSearchAreReportedInErrors() {
    ApiServer.Reply reply = server.get("/api/traces?traceID=abc&traceID=def");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("data")).isEmpty();
    JsonNode errors = reply.json().get("errors");
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).get("code").asInt()).isEqualTo(404);
    assertThat(errors.get(0).get("msg").asText()).isEqualTo("trace not found");
    assertThat(errors.get(0).get("traceID").asText()).isEqualTo("0000000000000abc");
  }

  @Test
  void dependencies() {
    long endTs = BASE_NANOS / 1_000_000;
    ApiServer.Reply reply = server.get("/api/dependencies?endTs=" + endTs + "&lookback=60000");
    JsonNode data = reply.json().get("data");
    assertThat(data).hasSize(2);
    assertThat(data.get(0).get("parent").asText()).isEqualTo("backend");
    assertThat(data.get(0).get("child").asText()).isEqualTo("postgres");
    assertThat(data.get(0).get("callCount").asLong()).isEqualTo(1);
    assertThat(data.get(0).has("errorCount")).isFalse();
    assertEnvelope(reply.json(), 2);
    assertThat(store.lastDependencyWindow)
        .containsExactly(BASE_NANOS - 60_000_000_000L, BASE_NANOS);

    server.get("/api/dependencies");
    long now = TestTraces.CLOCK.millis() * 1_000_000L;
    assertThat(store.lastDependencyWindow)
        .containsExactly(now - JaegerQueryApi.DEFAULT_DEPENDENCY_LOOKBACK_NANOS, now);

    assertThat(assertError(server.get("/api/dependencies?endTs=noon"), 400))
        .isEqualTo("parameter 'endTs' is not an integer: noon");
  }

  @Test
  void storageFailureIs503WithMessage() {
    store.failure = new IOException("disk on fire");
    try {
      assertThat(assertError(server.get("/api/services"), 503))
          .isEqualTo("storage failed: disk on fire");
    } finally {
      store.failure = null;
    }
  }
}
