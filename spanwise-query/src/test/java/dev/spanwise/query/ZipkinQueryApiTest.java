package dev.spanwise.query;

import static dev.spanwise.query.TestTraces.BASE_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpResponse;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.TraceQuery;
import java.io.IOException;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZipkinQueryApiTest {
  static FakeSpanStore store;
  static ApiServer server;

  @BeforeAll
  static void start() {
    store = TestTraces.store();
    server = new ApiServer(sb -> {
      new ZipkinQueryApi(store, TestTraces.options()).configure(sb);
      // The Zipkin receiver's route on the same server, as spanwise-server mounts it.
      sb.route().post("/api/v2/spans").build((ctx, req) -> HttpResponse.of(202));
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Asserts the zipkin-server error shape and returns its message. */
  static String assertError(String path, int status, String parameter) {
    ApiServer.Reply reply = server.get(path);
    assertThat(reply.status()).as(path).isEqualTo(status);
    JsonNode json = reply.json();
    assertThat(json.get("status").asInt()).isEqualTo(status);
    assertThat(json.get("error").asText()).isNotEmpty();
    assertThat(json.get("path").asText()).isEqualTo(path.replaceAll("\\?.*", ""));
    if (parameter == null) {
      assertThat(json.has("parameter")).isFalse();
    } else {
      assertThat(json.get("parameter").asText()).isEqualTo(parameter);
    }
    return json.get("message").asText();
  }

  @Test
  void servicesSpanNamesAndRemoteServices() {
    assertThat(server.get("/api/v2/services").json()).extracting(JsonNode::asText)
        .containsExactly("backend", "frontend");
    assertThat(server.get("/api/v2/spans?serviceName=backend").json())
        .extracting(JsonNode::asText).containsExactly("SELECT orders", "checkout");
    assertThat(server.get("/api/v2/remoteServices?serviceName=frontend").json())
        .extracting(JsonNode::asText).containsExactly("backend");
    assertThat(assertError("/api/v2/spans", 400, "serviceName"))
        .isEqualTo("parameter 'serviceName' is required");
    assertThat(assertError("/api/v2/remoteServices", 400, "serviceName"))
        .isEqualTo("parameter 'serviceName' is required");
  }

  @Test
  void receiverPostRouteCoexistsWithGetSpans() {
    ApiServer.Reply reply = server.send(HttpRequest.newBuilder(server.uri("/api/v2/spans"))
        .POST(HttpRequest.BodyPublishers.ofString("[]")).build());
    assertThat(reply.status()).isEqualTo(202);
  }

  @Test
  void searchParsesZipkinParameters() {
    long endTs = BASE_NANOS / 1_000_000 + 5_000;
    ApiServer.Reply reply = server.get("/api/v2/traces?serviceName=nobody&spanName=get"
        + "&remoteServiceName=db&annotationQuery=error%20and%20http.method%3DGET%20and%20retry"
        + "&minDuration=1500&maxDuration=20000&endTs=" + endTs + "&lookback=60000&limit=3");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEmpty();
    TraceQuery q = store.lastQuery;
    assertThat(q.serviceName()).isEqualTo("nobody");
    assertThat(q.spanName()).isEqualTo("get");
    assertThat(q.errorOnly()).isTrue();
    assertThat(q.attributeFilters()).containsExactly(
        AttributeFilter.equalTo("peer.service", "db"),
        AttributeFilter.equalTo("http.method", "GET"),
        AttributeFilter.exists("retry"));
    assertThat(q.minDurationNanos()).isEqualTo(1_500_000L);
    assertThat(q.maxDurationNanos()).isEqualTo(20_000_000L);
    assertThat(q.endEpochNanos()).isEqualTo(endTs * 1_000_000L);
    assertThat(q.startEpochNanos()).isEqualTo((endTs - 60_000) * 1_000_000L);
    assertThat(q.limit()).isEqualTo(3);
  }

  @Test
  void searchDefaults() {
    server.get("/api/v2/traces?serviceName=nobody");
    TraceQuery q = store.lastQuery;
    long now = TestTraces.CLOCK.millis() * 1_000_000L;
    assertThat(q.endEpochNanos()).isEqualTo(now);
    assertThat(q.startEpochNanos()).isEqualTo(now - ZipkinQueryApi.DEFAULT_LOOKBACK_NANOS);
    assertThat(q.limit()).isEqualTo(ZipkinQueryApi.DEFAULT_LIMIT);
    assertThat(q.attributeFilters()).isEmpty();
    assertThat(q.errorOnly()).isFalse();
  }

  @Test
  void allMeansAny() {
    server.get("/api/v2/traces?serviceName=all&spanName=all&remoteServiceName=all");
    TraceQuery q = store.lastQuery;
    assertThat(q.serviceName()).isNull();
    assertThat(q.spanName()).isNull();
    assertThat(q.attributeFilters()).isEmpty();
  }

  @Test
  void searchParameterErrors() {
    assertThat(assertError("/api/v2/traces?minDuration=1ms", 400, "minDuration"))
        .isEqualTo("parameter 'minDuration' is not an integer: 1ms");
    assertThat(assertError("/api/v2/traces?minDuration=20&maxDuration=10", 400, "maxDuration"))
        .isEqualTo("parameter 'maxDuration' is less than 'minDuration'");
    assertThat(assertError("/api/v2/traces?endTs=-1", 400, "endTs"))
        .isEqualTo("parameter 'endTs' must not be negative, was -1");
    assertThat(assertError("/api/v2/traces?lookback=week", 400, "lookback"))
        .isEqualTo("parameter 'lookback' is not an integer: week");
    assertThat(assertError("/api/v2/traces?limit=0", 400, "limit"))
        .startsWith("parameter 'limit' must be between 1 and");
    assertThat(assertError("/api/v2/traces?annotationQuery=a%20and%20%3Db", 400,
        "annotationQuery")).isEqualTo("parameter 'annotationQuery' has a term without a key: =b");
    assertThat(assertError("/api/v2/traces?annotationQuery=a%20and%20and%20b", 400,
        "annotationQuery")).startsWith("parameter 'annotationQuery' has an empty term");
  }

  @Test
  void traceByIdErrors() {
    assertThat(assertError("/api/v2/trace/463ac35c9f6413ad48485a3953bb6199", 404, null))
        .isEqualTo("trace 463ac35c9f6413ad48485a3953bb6199 not found");
    assertThat(assertError("/api/v2/trace/xyz", 400, "traceId"))
        .startsWith("parameter 'traceId' is not a trace id");
  }

  @Test
  void traceManyErrors() {
    assertThat(assertError("/api/v2/traceMany", 400, "traceIds"))
        .isEqualTo("parameter 'traceIds' is required");
    assertThat(assertError("/api/v2/traceMany?traceIds=abc,,def", 400, "traceIds"))
        .startsWith("parameter 'traceIds' has an empty trace id");
    assertThat(assertError("/api/v2/traceMany?traceIds=abc,xyz", 400, "traceIds"))
        .startsWith("parameter 'traceIds' is not a trace id");
    assertThat(server.get("/api/v2/traceMany?traceIds=abc,def").json()).isEmpty();
  }

  @Test
  void dependencies() {
    long endTs = BASE_NANOS / 1_000_000;
    JsonNode links = server.get("/api/v2/dependencies?endTs=" + endTs + "&lookback=1000").json();
    assertThat(links).hasSize(2);
    assertThat(links.get(0).get("parent").asText()).isEqualTo("backend");
    assertThat(links.get(0).get("child").asText()).isEqualTo("postgres");
    assertThat(links.get(0).get("callCount").asLong()).isEqualTo(1);
    assertThat(links.get(0).get("errorCount").asLong()).isEqualTo(1);
    assertThat(links.get(1).get("errorCount").asLong()).isEqualTo(0);
    assertThat(store.lastDependencyWindow)
        .containsExactly(BASE_NANOS - 1_000_000_000L, BASE_NANOS);
    assertThat(assertError("/api/v2/dependencies", 400, "endTs"))
        .isEqualTo("parameter 'endTs' is required");
  }

  @Test
  void autocomplete() {
    assertThat(server.get("/api/v2/autocompleteKeys").json()).extracting(JsonNode::asText)
        .contains("http.method", "peer.service", "service.name");
    assertThat(server.get("/api/v2/autocompleteValues?key=http.method").json())
        .extracting(JsonNode::asText).containsExactly("GET", "POST");
    assertThat(assertError("/api/v2/autocompleteValues", 400, "key"))
        .isEqualTo("parameter 'key' is required");
  }

  @Test
  void storageFailureIs503() {
    store.failure = new IOException("cluster down");
    try {
      assertThat(assertError("/api/v2/services", 503, null))
          .isEqualTo("storage failed: cluster down");
    } finally {
      store.failure = null;
    }
  }
}
