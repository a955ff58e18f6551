package dev.spanwise.query;

import static dev.spanwise.query.TestTraces.BASE_MICROS;
import static dev.spanwise.query.TestTraces.BASE_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spanwise.model.SpanKind;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.UnsupportedQueryException;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpanwiseQueryApiTest {
  static FakeSpanStore store;
  static ApiServer server;

  @BeforeAll
  static void start() {
    store = TestTraces.store();
    server = new ApiServer(sb -> new SpanwiseQueryApi(store, TestTraces.options()).configure(sb));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Asserts Spanwise's error shape and returns its message. */
  static String assertError(String path, int status, String parameter) {
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
  void capabilitiesServicesOperations() {
    assertThat(server.get("/api/spanwise/capabilities").json().get("capabilities"))
        .extracting(JsonNode::asText).contains("TRACE_BY_ID", "DEPENDENCIES", "RETENTION");
    assertThat(server.get("/api/spanwise/services").json().get("services"))
        .extracting(JsonNode::asText).containsExactly("backend", "frontend");
    JsonNode ops = server.get("/api/spanwise/operations?service=frontend&kind=server").json()
        .get("operations");
    assertThat(ops).hasSize(2);
    assertThat(ops.get(0).get("name").asText()).isEqualTo("GET /checkout");
    assertThat(ops.get(0).get("kind").asText()).isEqualTo("server");
    assertThat(assertError("/api/spanwise/operations", 400, "service"))
        .isEqualTo("parameter 'service' is required");
    assertThat(assertError("/api/spanwise/operations?service=a&kind=x", 400, "kind"))
        .startsWith("parameter 'kind' is not a span kind");
  }

  @Test
  void searchReturnsSummaries() {
    JsonNode traces = server.get("/api/spanwise/search?service=backend&attr=db.system%3Dpostgresql"
        + "&error=true&start=" + BASE_MICROS).json().get("traces");
    assertThat(traces).hasSize(1);
    JsonNode t = traces.get(0);
    assertThat(t.get("traceId").asText()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(t.get("rootServiceName").asText()).isEqualTo("frontend");
    assertThat(t.get("rootSpanName").asText()).isEqualTo("GET /checkout");
    assertThat(t.get("startTimeUnixNano").asText()).isEqualTo(Long.toString(BASE_NANOS));
    assertThat(t.get("startTimeUnixMicros").asLong()).isEqualTo(BASE_MICROS);
    assertThat(t.get("durationNanos").asLong()).isEqualTo(150_000_000L);
    assertThat(t.get("spanCount").asInt()).isEqualTo(4);
    assertThat(t.get("errorCount").asInt()).isEqualTo(1);
    assertThat(t.get("services")).hasSize(2);
    assertThat(t.get("services").get(1).get("name").asText()).isEqualTo("frontend");
    assertThat(t.get("services").get(1).get("spanCount").asInt()).isEqualTo(2);

    TraceQuery q = store.lastQuery;
    assertThat(q.serviceName()).isEqualTo("backend");
    assertThat(q.errorOnly()).isTrue();
    assertThat(q.attributeFilters())
        .containsExactly(AttributeFilter.equalTo("db.system", "postgresql"));
    assertThat(q.startEpochNanos()).isEqualTo(BASE_NANOS);
  }

  @Test
  void searchParsesEveryParameter() {
    server.get("/api/spanwise/search?service=s&operation=o&kind=client&attr=a%3D1&attr=b"
        + "&minDuration=1ms&maxDuration=1s&start=2026-11-25T12:00:00Z&end=" + (BASE_MICROS + 7)
        + "&limit=5");
    TraceQuery q = store.lastQuery;
    assertThat(q.spanName()).isEqualTo("o");
    assertThat(q.spanKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(q.attributeFilters())
        .containsExactly(AttributeFilter.equalTo("a", "1"), AttributeFilter.exists("b"));
    assertThat(q.minDurationNanos()).isEqualTo(1_000_000L);
    assertThat(q.maxDurationNanos()).isEqualTo(1_000_000_000L);
    assertThat(q.startEpochNanos()).isEqualTo(BASE_NANOS);
    assertThat(q.endEpochNanos()).isEqualTo(BASE_NANOS + 7_000);
    assertThat(q.limit()).isEqualTo(5);
    assertThat(q.errorOnly()).isFalse();

    server.get("/api/spanwise/search?lookback=10m");
    q = store.lastQuery;
    long now = TestTraces.CLOCK.millis() * 1_000_000L;
    assertThat(q.endEpochNanos()).isEqualTo(now);
    assertThat(q.startEpochNanos()).isEqualTo(now - 600_000_000_000L);
    assertThat(q.limit()).isEqualTo(TraceQuery.DEFAULT_LIMIT);
  }

  @Test
  void searchParameterErrors() {
    assertThat(assertError("/api/spanwise/search?attr=%3Dv", 400, "attr"))
        .isEqualTo("parameter 'attr' has no key: =v");
    assertThat(assertError("/api/spanwise/search?error=yes", 400, "error"))
        .isEqualTo("parameter 'error' must be true or false, was yes");
    assertThat(assertError("/api/spanwise/search?start=noon", 400, "start"))
        .startsWith("parameter 'start' must be microseconds since the epoch or an RFC 3339 time");
    assertThat(assertError("/api/spanwise/search?end=2026-13-01T00:00:00Z", 400, "end"))
        .startsWith("parameter 'end' is not an RFC 3339 time");
    assertThat(assertError("/api/spanwise/search?start=20&end=10", 400, "start"))
        .isEqualTo("parameter 'start' is after 'end'");
    assertThat(assertError("/api/spanwise/search?minDuration=3s&maxDuration=1s", 400,
        "maxDuration")).isEqualTo("parameter 'maxDuration' is less than 'minDuration'");
    assertThat(assertError("/api/spanwise/search?limit=100000", 400, "limit"))
        .startsWith("parameter 'limit' must be between 1 and 10000");
    assertThat(assertError("/api/spanwise/search?lookback=1", 400, "lookback"))
        .startsWith("parameter 'lookback' needs a unit");
  }

  @Test
  void traceErrors() {
    assertThat(assertError("/api/spanwise/traces/463ac35c9f6413ad48485a3953bb6199", 404, null))
        .isEqualTo("trace 463ac35c9f6413ad48485a3953bb6199 not found");
    assertThat(assertError("/api/spanwise/traces/nothex", 400, "traceId"))
        .startsWith("parameter 'traceId' is not a trace id");
  }

  @Test
  void attributes() {
    assertThat(server.get("/api/spanwise/attributes/keys?service=backend").json().get("keys"))
        .extracting(JsonNode::asText).containsExactly("db.system", "http.method", "peer.service",
            "service.name", "service.version");
    assertThat(server.get("/api/spanwise/attributes/values?key=http.method&prefix=P").json()
        .get("values")).extracting(JsonNode::asText).containsExactly("POST");
    assertThat(server.get("/api/spanwise/attributes/values?key=http.method&limit=1").json()
        .get("values")).extracting(JsonNode::asText).containsExactly("GET");
    assertThat(assertError("/api/spanwise/attributes/values", 400, "key"))
        .isEqualTo("parameter 'key' is required");
    assertThat(assertError("/api/spanwise/attributes/values?key=k&limit=0", 400, "limit"))
        .startsWith("parameter 'limit' must be between 1 and 1000");
  }

  @Test
  void dependencies() {
    JsonNode links = server.get("/api/spanwise/dependencies?start=" + BASE_MICROS + "&end="
        + (BASE_MICROS + 1)).json().get("dependencies");
    assertThat(links).hasSize(2);
    assertThat(links.get(1).get("parent").asText()).isEqualTo("frontend");
    assertThat(links.get(1).get("child").asText()).isEqualTo("backend");
    assertThat(links.get(1).get("callCount").asLong()).isEqualTo(1);
    assertThat(links.get(1).get("errorCount").asLong()).isEqualTo(0);
    assertThat(store.lastDependencyWindow).containsExactly(BASE_NANOS, BASE_NANOS + 1000);
    assertThat(assertError("/api/spanwise/dependencies?start=5&end=4", 400, "start"))
        .isEqualTo("parameter 'start' is after 'end'");
  }

  @Test
  void unexpectedFailureIs500InApiShape() {
    store.failure = new IllegalStateException("bug");
    try {
      assertThat(assertError("/api/spanwise/services", 500, null))
          .isEqualTo("internal error: java.lang.IllegalStateException: bug");
    } finally {
      store.failure = null;
    }
  }

  @Test
  void unsupportedQueryFromTheStoreIs400() {
    store.failure = new UnsupportedQueryException(StorageCapability.SEARCH_BY_ATTRIBUTE,
        "only indexed attributes can be searched");
    try {
      assertThat(assertError("/api/spanwise/search?attr=x%3Dy", 400, null))
          .isEqualTo("this storage backend cannot answer this query: only indexed attributes"
              + " can be searched (needs capability SEARCH_BY_ATTRIBUTE)");
    } finally {
      store.failure = null;
    }
  }

  @Test
  void storageFailureIs503() {
    store.failure = new IOException("no space");
    try {
      assertThat(assertError("/api/spanwise/search", 503, null))
          .isEqualTo("storage failed: no space");
    } finally {
      store.failure = null;
    }
  }
}
