package dev.spanwise.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.query.internal.QueryThreads;
import dev.spanwise.storage.Tenants;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class QueryOptionsTest {
  @Test
  void defaults() {
    QueryOptions o = QueryOptions.defaults();
    assertThat(o.tenant()).isEqualTo(Tenants.DEFAULT);
    assertThat(o.clock()).isEqualTo(Clock.systemUTC());
    assertThat(o.traceAdjuster()).isNotNull();
    assertThat(o.executor()).isSameAs(QueryThreads.shared());
    assertThat(QueryThreads.shared().getParallelism())
        .isGreaterThanOrEqualTo(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void builderThrowsNamingTheField() {
    assertThatThrownBy(() -> QueryOptions.builder().tenant(null)).hasMessage("tenant");
    assertThatThrownBy(() -> QueryOptions.builder().tenant("")).hasMessage("tenant is empty");
    assertThatThrownBy(() -> QueryOptions.builder().clock(null)).hasMessage("clock");
    assertThatThrownBy(() -> QueryOptions.builder().traceAdjuster(null))
        .hasMessage("traceAdjuster");
    assertThatThrownBy(() -> QueryOptions.builder().executor(null)).hasMessage("executor");
  }

  @Test
  void requestsAreAnsweredOnTheQueryThreads() throws Exception {
    FakeSpanStore store = TestTraces.store();
    try (ApiServer server = new ApiServer(sb -> {
      new JaegerQueryApi(store).configure(sb);
      new ZipkinQueryApi(store).configure(sb);
    })) {
      assertThat(server.get("/api/traces?service=frontend").status()).isEqualTo(200);
      assertThat(store.lastSearchThread).startsWith("spanwise-query-");
      store.lastSearchThread = null;
      assertThat(server.get("/api/v2/traces?serviceName=frontend").status()).isEqualTo(200);
      assertThat(store.lastSearchThread).startsWith("spanwise-query-");
    }
  }

  @Test
  void requestsRunOnTheExecutorTheOptionsName() throws Exception {
    FakeSpanStore store = TestTraces.store();
    ExecutorService custom = Executors.newSingleThreadExecutor(r -> new Thread(r, "custom-query"));
    try {
      QueryOptions options = QueryOptions.builder().executor(custom).build();
      try (ApiServer server = new ApiServer(sb -> {
        new SpanwiseQueryApi(store, options).configure(sb);
        new JaegerApiV3(store, options).configure(sb);
      })) {
        assertThat(server.get("/api/spanwise/search").status()).isEqualTo(200);
        assertThat(store.lastSearchThread).isEqualTo("custom-query");
        store.lastSearchThread = null;
        assertThat(server.get("/api/v3/traces?query.service_name=frontend"
            + "&query.start_time_min=2020-01-01T00:00:00Z"
            + "&query.start_time_max=2030-01-01T00:00:00Z").status()).isEqualTo(200);
        assertThat(store.lastSearchThread).isEqualTo("custom-query");
      }
    } finally {
      custom.shutdownNow();
    }
  }

  @Test
  void tenantIsAskedOfTheStore() throws Exception {
    FakeSpanStore store = TestTraces.store();
    QueryOptions options = QueryOptions.builder().tenant("acme").clock(TestTraces.CLOCK).build();
    try (ApiServer server = new ApiServer(sb -> new SpanwiseQueryApi(store, options).configure(sb))) {
      server.get("/api/spanwise/search");
      assertThat(store.lastQuery.tenant()).isEqualTo("acme");
    }
  }
}
