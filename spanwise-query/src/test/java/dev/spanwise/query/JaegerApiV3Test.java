package dev.spanwise.query;

import static dev.spanwise.query.TestTraces.BASE_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spanwise.model.SpanKind;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.TraceQuery;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JaegerApiV3Test {
  static FakeSpanStore store;
  static ApiServer server;

  @BeforeAll
  static void start() {
    store = TestTraces.store();
    server = new ApiServer(sb -> new JaegerApiV3(store, TestTraces.options()).configure(sb));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Asserts the gateway error shape and returns its message. */
  static String assertError(String path, int status) {
    ApiServer.Reply reply = server.get(path);
    assertThat(reply.status()).as(path).isEqualTo(status);
    JsonNode error = reply.json().get("error");
    assertThat(error.get("httpCode").asInt()).isEqualTo(status);
    return error.get("message").asText();
  }

  @Test
  void services() {
    JsonNode json = server.get("/api/v3/services").json();
    assertThat(json.get("services")).extracting(JsonNode::asText)
        .containsExactly("backend", "frontend");
  }

  @Test
  void operationsAcceptBothSpellingsOfKind() {
    for (String kindParam : new String[] {"spanKind", "span_kind"}) {
      JsonNode ops = server.get("/api/v3/operations?service=backend&" + kindParam + "=client")
          .json().get("operations");
      assertThat(ops).hasSize(1);
      assertThat(ops.get(0).get("name").asText()).isEqualTo("SELECT orders");
      assertThat(ops.get(0).get("spanKind").asText()).isEqualTo("client");
    }
    assertThat(server.get("/api/v3/operations?service=backend").json().get("operations"))
        .hasSize(2);
    assertThat(assertError("/api/v3/operations", 400))
        .isEqualTo("parameter 'service' is required");
    assertThat(assertError("/api/v3/operations?service=a&span_kind=up", 400))
        .startsWith("parameter 'span_kind' is not a span kind");
  }

  @Test
  void searchParsesSnakeCaseParameters() {
    ApiServer.Reply reply = server.get("/api/v3/traces?query.service_name=nobody"
        + "&query.operation_name=op&query.start_time_min=2026-11-25T12:00:00Z"
        + "&query.start_time_max=2026-11-25T12:00:01.5Z&query.duration_min=1ms"
        + "&query.duration_max=2s&query.search_depth=7&query.attributes="
        + enc("{\"http.method\":\"GET\",\"error\":\"true\"}"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("result").get("resourceSpans")).isEmpty();
    TraceQuery q = store.lastQuery;
    assertThat(q.serviceName()).isEqualTo("nobody");
    assertThat(q.spanName()).isEqualTo("op");
    assertThat(q.startEpochNanos()).isEqualTo(BASE_NANOS);
    assertThat(q.endEpochNanos()).isEqualTo(BASE_NANOS + 1_500_000_000L);
    assertThat(q.minDurationNanos()).isEqualTo(1_000_000L);
    assertThat(q.maxDurationNanos()).isEqualTo(2_000_000_000L);
    assertThat(q.limit()).isEqualTo(7);
    assertThat(q.errorOnly()).isTrue();
    assertThat(q.attributeFilters()).containsExactly(AttributeFilter.equalTo("http.method", "GET"));
    assertThat(q.spanKind()).isNull();
  }

  @Test
  void searchParsesCamelCaseParameters() {
    server.get("/api/v3/trace-summaries?query.serviceName=nobody&query.operationName=op"
        + "&query.startTimeMin=2026-11-25T12:00:00Z&query.startTimeMax=2026-11-25T13:00:00%2B01:00"
        + "&query.durationMin=5us&query.searchDepth=3");
    TraceQuery q = store.lastQuery;
    assertThat(q.serviceName()).isEqualTo("nobody");
    assertThat(q.spanName()).isEqualTo("op");
    assertThat(q.startEpochNanos()).isEqualTo(BASE_NANOS);
    assertThat(q.endEpochNanos()).isEqualTo(BASE_NANOS);
    assertThat(q.minDurationNanos()).isEqualTo(5_000L);
    assertThat(q.limit()).isEqualTo(3);
  }

  @Test
  void searchDefaults() {
    server.get("/api/v3/trace-summaries");
    TraceQuery q = store.lastQuery;
    long now = TestTraces.CLOCK.millis() * 1_000_000L;
    assertThat(q.endEpochNanos()).isEqualTo(now);
    assertThat(q.startEpochNanos()).isEqualTo(now - JaegerApiV3.DEFAULT_LOOKBACK_NANOS);
    assertThat(q.limit()).isEqualTo(JaegerApiV3.DEFAULT_SEARCH_DEPTH);
  }

  @Test
  void searchParameterErrorsNameTheParameterAsSpelled() {
    assertThat(assertError("/api/v3/traces?query.start_time_min=yesterday", 400))
        .startsWith("parameter 'query.start_time_min' is not an RFC 3339 time");
    assertThat(assertError("/api/v3/traces?query.startTimeMax=12:00", 400))
        .startsWith("parameter 'query.startTimeMax' is not an RFC 3339 time");
    assertThat(assertError("/api/v3/traces?query.start_time_min=2026-11-25T12:00:00Z"
        + "&query.start_time_max=2026-11-25T11:00:00Z", 400))
        .isEqualTo("parameter 'query.start_time_min' is after 'query.start_time_max'");
    assertThat(assertError("/api/v3/traces?query.duration_min=1", 400))
        .startsWith("parameter 'query.duration_min' needs a unit");
    assertThat(assertError("/api/v3/traces?query.durationMin=2s&query.durationMax=1s", 400))
        .isEqualTo("parameter 'query.durationMax' is less than 'query.durationMin'");
    assertThat(assertError("/api/v3/traces?query.search_depth=0", 400))
        .startsWith("parameter 'query.search_depth' must be between 1 and");
    assertThat(assertError("/api/v3/traces?query.num_traces=x", 400))
        .isEqualTo("parameter 'query.num_traces' is not an integer: x");
    assertThat(assertError("/api/v3/traces?query.attributes=" + enc("[\"a\"]"), 400))
        .startsWith("parameter 'query.attributes' must be a JSON object");
  }

  @Test
  void traceSummaries() {
    JsonNode summaries = server.get("/api/v3/trace-summaries?query.start_time_min="
        + "2026-11-25T11:00:00Z&query.service_name=frontend").json().get("summaries");
    assertThat(summaries).hasSize(2);
    JsonNode health = summaries.get(0);
    assertThat(health.get("traceId").asText()).isEqualTo("00000000000000000000000000000bee");
    JsonNode checkout = summaries.get(1);
    assertThat(checkout.get("traceId").asText()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(checkout.get("rootServiceName").asText()).isEqualTo("frontend");
    assertThat(checkout.get("rootOperationName").asText()).isEqualTo("GET /checkout");
    assertThat(checkout.get("minStartTimeUnixNano").isTextual()).isTrue();
    assertThat(checkout.get("minStartTimeUnixNano").asText()).isEqualTo(Long.toString(BASE_NANOS));
    assertThat(checkout.get("maxEndTimeUnixNano").asText())
        .isEqualTo(Long.toString(BASE_NANOS + 150_000_000L));
    assertThat(checkout.get("spanCount").asInt()).isEqualTo(4);
    assertThat(checkout.get("errorSpanCount").asInt()).isEqualTo(1);
    JsonNode services = checkout.get("services");
    assertThat(services).hasSize(2);
    assertThat(services.get(0).get("name").asText()).isEqualTo("backend");
    assertThat(services.get(0).get("spanCount").asInt()).isEqualTo(2);
    assertThat(services.get(1).get("name").asText()).isEqualTo("frontend");
  }

  @Test
  void traceByIdErrors() {
    assertThat(assertError("/api/v3/traces/463ac35c9f6413ad48485a3953bb6199", 404))
        .isEqualTo("trace not found");
    assertThat(assertError("/api/v3/traces/-", 400))
        .startsWith("parameter 'trace_id' is not a trace id");
  }

  @Test
  void spanKindInOperationsIsLowerCase() {
    assertThat(server.get("/api/v3/operations?service=frontend&spanKind=SPAN_KIND_CLIENT").json()
        .get("operations").get(0).get("spanKind").asText())
        .isEqualTo(SpanKind.CLIENT.lowerCaseName());
  }
}
