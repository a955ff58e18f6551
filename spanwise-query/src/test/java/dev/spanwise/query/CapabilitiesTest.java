package dev.spanwise.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spanwise.storage.StorageCapability;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every API refuses, with 400 and the reason, what a backend declares it cannot answer. */
class CapabilitiesTest {
  static FakeSpanStore limited;
  static ApiServer server;

  @BeforeAll
  static void start() {
    limited = new FakeSpanStore(EnumSet.of(StorageCapability.TRACE_BY_ID,
        StorageCapability.SEARCH_BY_SERVICE)).add(TestTraces.checkout());
    QueryOptions options = TestTraces.options();
    server = new ApiServer(sb -> {
      new JaegerQueryApi(limited, options).configure(sb);
      new JaegerApiV3(limited, options).configure(sb);
      new ZipkinQueryApi(limited, options).configure(sb);
      new SpanwiseQueryApi(limited, options).configure(sb);
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String refusal(String path) {
    ApiServer.Reply reply = server.get(path);
    assertThat(reply.status()).as(path).isEqualTo(400);
    return reply.body();
  }

  @Test
  void jaegerV1() {
    assertThat(refusal("/api/services"))
        .contains("does not list service names").contains("SERVICE_NAMES");
    assertThat(refusal("/api/traces?service=a&tag=k:v"))
        .contains("does not search by attribute").contains("SEARCH_BY_ATTRIBUTE");
    assertThat(refusal("/api/traces?service=a&minDuration=1ms")).contains("SEARCH_BY_DURATION");
    assertThat(refusal("/api/traces"))
        .contains("needs a service name").contains("SEARCH_WITHOUT_SERVICE");
    assertThat(refusal("/api/dependencies")).contains("DEPENDENCIES");
    JsonNode error = server.get("/api/services").json().get("errors").get(0);
    assertThat(error.get("code").asInt()).isEqualTo(400);
  }

  @Test
  void jaegerV3() {
    assertThat(refusal("/api/v3/services")).contains("SERVICE_NAMES");
    assertThat(refusal("/api/v3/operations?service=a")).contains("SERVICE_NAMES");
    assertThat(refusal("/api/v3/traces?query.service_name=a&query.attributes=%7B%22k%22:%22v%22%7D"))
        .contains("SEARCH_BY_ATTRIBUTE");
    assertThat(refusal("/api/v3/trace-summaries?query.duration_min=1s&query.service_name=a"))
        .contains("SEARCH_BY_DURATION");
    JsonNode error = server.get("/api/v3/services").json().get("error");
    assertThat(error.get("httpCode").asInt()).isEqualTo(400);
  }

  @Test
  void zipkin() {
    assertThat(refusal("/api/v2/services")).contains("SERVICE_NAMES");
    assertThat(refusal("/api/v2/traces?annotationQuery=http.method%3DGET&serviceName=a"))
        .contains("SEARCH_BY_ATTRIBUTE");
    assertThat(refusal("/api/v2/traces")).contains("SEARCH_WITHOUT_SERVICE");
    assertThat(refusal("/api/v2/dependencies?endTs=1")).contains("DEPENDENCIES");
    assertThat(refusal("/api/v2/autocompleteKeys")).contains("ATTRIBUTE_NAMES");
    assertThat(server.get("/api/v2/services").json().get("status").asInt()).isEqualTo(400);
  }

  @Test
  void spanwise() {
    assertThat(refusal("/api/spanwise/services")).contains("SERVICE_NAMES");
    assertThat(refusal("/api/spanwise/search?service=a&attr=k%3Dv"))
        .contains("SEARCH_BY_ATTRIBUTE");
    assertThat(refusal("/api/spanwise/attributes/keys")).contains("ATTRIBUTE_NAMES");
    assertThat(refusal("/api/spanwise/attributes/values?key=k")).contains("ATTRIBUTE_NAMES");
    assertThat(refusal("/api/spanwise/dependencies")).contains("DEPENDENCIES");
    JsonNode capabilities = server.get("/api/spanwise/capabilities").json().get("capabilities");
    assertThat(capabilities).extracting(JsonNode::asText)
        .containsExactly("TRACE_BY_ID", "SEARCH_BY_SERVICE");
  }

  @Test
  void refusedQueriesNeverReachTheStore() {
    refusal("/api/spanwise/search?service=a&attr=k");
    refusal("/api/traces");
    assertThat(limited.lastQuery).isNull();
  }
}
