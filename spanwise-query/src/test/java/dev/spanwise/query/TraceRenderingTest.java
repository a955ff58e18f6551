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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The span bodies of every API, field by field, read from the in-memory store loaded with the
 * known checkout trace (frontend -> backend -> postgres, the database call failing).
 */
class TraceRenderingTest {
  static final String CHECKOUT = "463ac35c9f6413ad48485a3953bb6124";
  static ApiServer server;

  @BeforeAll
  static void start() throws Exception {
    InMemorySpanStore store = InMemorySpanStore.create();
    store.spanConsumer().accept(Tenants.DEFAULT, TestTraces.checkout());
    store.spanConsumer().accept(Tenants.DEFAULT, TestTraces.health());
    store.spanConsumer().accept(Tenants.DEFAULT, List.of(TestTraces.span(TraceId.fromHex("c0ffee"),
        Resource.ofServiceName("web/api gw"), 0xc1L, 0, "op/x y", SpanKind.SERVER, 0, 1,
        Attributes.EMPTY, Status.UNSET)));
    store.flush();
    QueryOptions options = TestTraces.options();
    server = new ApiServer(sb -> {
      new JaegerQueryApi(store, options).configure(sb);
      new JaegerApiV3(store, options).configure(sb);
      new ZipkinQueryApi(store, options).configure(sb);
      new SpanwiseQueryApi(store, options).configure(sb);
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode ok(String path) {
    ApiServer.Reply reply = server.get(path);
    assertThat(reply.status()).as(path + " " + reply.body()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    return reply.json();
  }

  static Map<String, JsonNode> jaegerTags(JsonNode tags) {
    Map<String, JsonNode> result = new HashMap<>();
    for (JsonNode tag : tags) result.put(tag.get("key").asText(), tag);
    return result;
  }

  @Test
  void jaegerTraceById() {
    JsonNode json = ok("/api/traces/" + CHECKOUT);
    assertThat(json.get("total").asInt()).isEqualTo(1);
    assertThat(json.get("errors").isNull()).isTrue();
    JsonNode trace = json.get("data").get(0);
    assertThat(trace.get("traceID").asText()).isEqualTo(CHECKOUT);

    JsonNode spans = trace.get("spans");
    assertThat(spans).hasSize(4);
    JsonNode root = spans.get(0);
    assertThat(root.get("traceID").asText()).isEqualTo(CHECKOUT);
    assertThat(root.get("spanID").asText()).isEqualTo("00000000000000a1");
    assertThat(root.get("operationName").asText()).isEqualTo("GET /checkout");
    assertThat(root.get("references")).isEmpty();
    assertThat(root.get("startTime").asLong()).isEqualTo(BASE_MICROS);
    assertThat(root.get("duration").asLong()).isEqualTo(150_000);
    JsonNode status = jaegerTags(root.get("tags")).get("http.status_code");
    assertThat(status.get("type").asText()).isEqualTo("int64");
    assertThat(status.get("value").isNumber()).isTrue();
    assertThat(status.get("value").asLong()).isEqualTo(500);

    JsonNode db = spans.get(3);
    assertThat(db.get("operationName").asText()).isEqualTo("SELECT orders");
    JsonNode ref = db.get("references").get(0);
    assertThat(ref.get("refType").asText()).isEqualTo("CHILD_OF");
    assertThat(ref.get("traceID").asText()).isEqualTo(CHECKOUT);
    assertThat(ref.get("spanID").asText()).isEqualTo("00000000000000a3");
    Map<String, JsonNode> dbTags = jaegerTags(db.get("tags"));
    assertThat(dbTags.get("error").get("type").asText()).isEqualTo("bool");
    assertThat(dbTags.get("error").get("value").asBoolean()).isTrue();
    assertThat(dbTags.get("span.kind").get("value").asText()).isEqualTo("client");
    assertThat(dbTags.get("db.system").get("type").asText()).isEqualTo("string");

    JsonNode processes = trace.get("processes");
    String frontendProcess = root.get("processID").asText();
    String backendProcess = db.get("processID").asText();
    assertThat(frontendProcess).isNotEqualTo(backendProcess);
    assertThat(processes.get(frontendProcess).get("serviceName").asText()).isEqualTo("frontend");
    assertThat(processes.get(backendProcess).get("serviceName").asText()).isEqualTo("backend");
    assertThat(jaegerTags(processes.get(backendProcess).get("tags")).get("service.version")
        .get("value").asText()).isEqualTo("1.2.3");
  }

  @Test
  void jaegerSearchReturnsFullTracesNewestFirst() {
    JsonNode json = ok("/api/traces?service=frontend&start=" + BASE_MICROS + "&limit=20");
    assertThat(json.get("total").asInt()).isEqualTo(2);
    JsonNode data = json.get("data");
    assertThat(data.get(0).get("traceID").asText()).isEqualTo("0000000000000bee");
    assertThat(data.get(1).get("traceID").asText()).isEqualTo(CHECKOUT);
    assertThat(data.get(1).get("spans")).hasSize(4);

    JsonNode errors = ok("/api/traces?service=backend&tags="
        + "%7B%22error%22%3A%22true%22%7D&start=" + BASE_MICROS).get("data");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("traceID").asText()).isEqualTo(CHECKOUT);

    assertThat(ok("/api/traces?service=frontend&minDuration=100ms&start=" + BASE_MICROS)
        .get("data")).hasSize(1);
    assertThat(ok("/api/traces?traceID=bee&traceID=" + CHECKOUT).get("data")).hasSize(2);
  }

  @Test
  void zipkinTraceById() {
    JsonNode spans = ok("/api/v2/trace/" + CHECKOUT);
    assertThat(spans).hasSize(4);
    JsonNode client = spans.get(1);
    assertThat(client.get("traceId").asText()).isEqualTo(CHECKOUT);
    assertThat(client.get("id").asText()).isEqualTo("00000000000000a2");
    assertThat(client.get("parentId").asText()).isEqualTo("00000000000000a1");
    assertThat(client.get("kind").asText()).isEqualTo("CLIENT");
    assertThat(client.get("name").asText()).isEqualTo("POST /api/order");
    assertThat(client.get("timestamp").asLong()).isEqualTo(BASE_MICROS + 10_000);
    assertThat(client.get("duration").asLong()).isEqualTo(120_000);
    assertThat(client.get("localEndpoint").get("serviceName").asText()).isEqualTo("frontend");
    assertThat(client.get("remoteEndpoint").get("serviceName").asText()).isEqualTo("backend");
    assertThat(client.get("tags").get("http.method").asText()).isEqualTo("POST");
    assertThat(spans.get(0).has("parentId")).isFalse();
    assertThat(spans.get(3).get("tags").get("error").asText()).isEqualTo("connection reset");
  }

  @Test
  void zipkinSearchAndTraceMany() {
    JsonNode traces = ok("/api/v2/traces?serviceName=backend&annotationQuery=error"
        + "&endTs=" + (BASE_NANOS / 1_000_000 + 1000));
    assertThat(traces).hasSize(1);
    assertThat(traces.get(0)).hasSize(4);
    assertThat(ok("/api/v2/traces?serviceName=frontend&annotationQuery=http.method%3DGET"
        + "&minDuration=100000")).hasSize(1);
    JsonNode many = ok("/api/v2/traceMany?traceIds=bee," + CHECKOUT + ",abc");
    assertThat(many).hasSize(2);
    assertThat(many.get(0).get(0).get("traceId").asText()).isEqualTo("0000000000000bee");
  }

  @Test
  void jaegerV3TraceIsOtlpJsonWithHexIds() {
    JsonNode result = ok("/api/v3/traces/" + CHECKOUT).get("result");
    List<JsonNode> spans = new ArrayList<>();
    Map<String, String> serviceOfSpan = new HashMap<>();
    for (JsonNode rs : result.get("resourceSpans")) {
      String service = null;
      for (JsonNode a : rs.get("resource").get("attributes")) {
        if (a.get("key").asText().equals("service.name")) {
          service = a.get("value").get("stringValue").asText();
        }
      }
      for (JsonNode ss : rs.get("scopeSpans")) {
        for (JsonNode s : ss.get("spans")) {
          spans.add(s);
          serviceOfSpan.put(s.get("spanId").asText(), service);
        }
      }
    }
    assertThat(spans).hasSize(4);
    assertThat(serviceOfSpan).containsEntry("00000000000000a1", "frontend")
        .containsEntry("00000000000000a4", "backend");
    JsonNode db = spans.stream()
        .filter(s -> s.get("spanId").asText().equals("00000000000000a4")).findFirst().get();
    assertThat(db.get("traceId").asText()).isEqualTo(CHECKOUT);
    assertThat(db.get("parentSpanId").asText()).isEqualTo("00000000000000a3");
    assertThat(db.get("kind").asInt()).isEqualTo(3);
    assertThat(db.get("startTimeUnixNano").asText())
        .isEqualTo(Long.toString(BASE_NANOS + 20_000_000L));
    assertThat(db.get("status").get("code").asInt()).isEqualTo(2);
    assertThat(db.get("status").get("message").asText()).isEqualTo("connection reset");
  }

  @Test
  void jaegerV3SearchMergesTracesIntoOneResult() {
    JsonNode result = ok("/api/v3/traces?query.service_name=frontend"
        + "&query.start_time_min=2026-11-25T11:59:00Z").get("result");
    int spans = 0;
    for (JsonNode rs : result.get("resourceSpans")) {
      for (JsonNode ss : rs.get("scopeSpans")) spans += ss.get("spans").size();
    }
    assertThat(spans).isEqualTo(5);
    JsonNode empty = ok("/api/v3/traces?query.service_name=nobody").get("result");
    assertThat(empty.get("resourceSpans")).isEmpty();
  }

  @Test
  void spanwiseTraceHasSummaryAndOtlp() {
    JsonNode json = ok("/api/spanwise/traces/" + CHECKOUT);
    JsonNode summary = json.get("summary");
    assertThat(summary.get("traceId").asText()).isEqualTo(CHECKOUT);
    assertThat(summary.get("rootServiceName").asText()).isEqualTo("frontend");
    assertThat(summary.get("rootSpanName").asText()).isEqualTo("GET /checkout");
    assertThat(summary.get("startTimeUnixNano").asText()).isEqualTo(Long.toString(BASE_NANOS));
    assertThat(summary.get("durationNanos").asLong()).isEqualTo(150_000_000L);
    assertThat(summary.get("spanCount").asInt()).isEqualTo(4);
    assertThat(summary.get("errorCount").asInt()).isEqualTo(1);
    assertThat(json.get("trace").get("resourceSpans")).hasSize(2);
    assertThat(json.get("trace").get("resourceSpans").get(0).get("scopeSpans").get(0)
        .get("spans").get(0).get("traceId").asText()).isEqualTo(CHECKOUT);
  }

  @Test
  void spanwiseSearchOnRealStore() {
    JsonNode traces = ok("/api/spanwise/search?service=backend&kind=client&error=true&start="
        + BASE_MICROS).get("traces");
    assertThat(traces).hasSize(1);
    assertThat(traces.get(0).get("traceId").asText()).isEqualTo(CHECKOUT);
    assertThat(ok("/api/spanwise/search?attr=host.name%3Dweb-1&start=" + BASE_MICROS)
        .get("traces")).hasSize(2);
  }

  @Test
  void namesWithSlashesAndSpacesInPaths() {
    assertThat(ok("/api/services/web%2Fapi%20gw/operations").get("data"))
        .extracting(JsonNode::asText).containsExactly("op/x y");
    assertThat(ok("/api/v2/spans?serviceName=web%2Fapi%20gw"))
        .extracting(JsonNode::asText).containsExactly("op/x y");
  }

  @Test
  void duplicateSpansAreDroppedBeforeRendering() {
    FakeSpanStore store = FakeSpanStore.withAll().add(TestTraces.checkout());
    List<Span> replay = new ArrayList<>(TestTraces.checkout());
    store.add(replay);
    try (ApiServer s = new ApiServer(sb -> new ZipkinQueryApi(store).configure(sb))) {
      ApiServer.Reply reply = s.get("/api/v2/trace/" + CHECKOUT);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json()).hasSize(4);
    }
  }
}
