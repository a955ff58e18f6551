package dev.spanwise.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.storage.Tenants;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class QueryOptionsTest {
  @Test
  void defaults() {
    QueryOptions o = QueryOptions.defaults();
    assertThat(o.tenant()).isEqualTo(Tenants.DEFAULT);
    assertThat(o.clock()).isEqualTo(Clock.systemUTC());
    assertThat(o.traceAdjuster()).isNotNull();
  }

  @Test
  void builderThrowsNamingTheField() {
    assertThatThrownBy(() -> QueryOptions.builder().tenant(null)).hasMessage("tenant");
    assertThatThrownBy(() -> QueryOptions.builder().tenant("")).hasMessage("tenant is empty");
    assertThatThrownBy(() -> QueryOptions.builder().clock(null)).hasMessage("clock");
    assertThatThrownBy(() -> QueryOptions.builder().traceAdjuster(null))
        .hasMessage("traceAdjuster");
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
