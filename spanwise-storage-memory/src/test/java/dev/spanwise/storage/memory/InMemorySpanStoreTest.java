package dev.spanwise.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import dev.spanwise.storage.tests.SpanFixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the conformance suite does not cover: limits, eviction, replacement, threads. */
class InMemorySpanStoreTest {
  static final String T = Tenants.DEFAULT;
  static final long MS = 1_000_000L;
  static final long HOUR = 3_600_000 * MS;

  final SpanFixtures fixtures = SpanFixtures.load(SpanFixtures.defaultBaseEpochNanos());
  final long base = fixtures.baseEpochNanos();

  @Test
  void declaresEveryCapability() {
    assertThat(InMemorySpanStore.create().capabilities())
        .containsExactlyInAnyOrder(StorageCapability.values());
  }

  @Test
  void builderRejectsNonPositiveMaxSpansNamingTheField() {
    assertThatThrownBy(() -> InMemorySpanStore.builder().maxSpans(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSpans");
    assertThat(InMemorySpanStore.builder().maxSpans(7).build().maxSpans()).isEqualTo(7);
    assertThat(InMemorySpanStore.create().maxSpans())
        .isEqualTo(InMemorySpanStore.DEFAULT_MAX_SPANS);
  }

  @Test
  void evictsOldestTracesBeyondMaxSpans() throws IOException {
    InMemorySpanStore store = InMemorySpanStore.builder().maxSpans(9).build();
    for (int n = 1; n <= 5; n++) {
      store.spanConsumer().accept(T, fixtures.trace("catalog-" + n).spans()); // 4 spans each
    }

    assertThat(store.spanCount()).isEqualTo(8);
    assertThat(store.traceReader().getTrace(T, fixtures.trace("catalog-3").traceId())).isEmpty();
    assertThat(store.traceReader().getTrace(T, fixtures.trace("catalog-4").traceId())).hasSize(4);
    assertThat(store.traceReader().getTrace(T, fixtures.trace("catalog-5").traceId())).hasSize(4);

    // a trace older than everything kept is itself the one evicted
    store.spanConsumer().accept(T, fixtures.trace("old").spans());
    assertThat(store.spanCount()).isEqualTo(8);
    assertThat(store.traceReader().getTrace(T, fixtures.trace("old").traceId())).isEmpty();
    assertThat(store.serviceNames().services(T)).containsExactly("catalog", "pricing");
  }

  @Test
  void evictionSpansTenantsAndForgetsRollups() throws IOException {
    InMemorySpanStore store = InMemorySpanStore.builder().maxSpans(14).build();
    store.spanConsumer().accept("acme", fixtures.trace("old").spans());
    store.spanConsumer().accept(T, fixtures.trace("checkout").spans());

    assertThat(store.spanCount()).isEqualTo(14);
    assertThat(store.serviceNames().services("acme")).isEmpty();
    assertThat(store.attributeNames().keys("acme", null)).isEmpty();
    assertThat(store.dependencyReader().dependencies("acme", 0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void rewritingASpanWithNewContentReplacesItAndItsRollups() throws IOException {
    InMemorySpanStore store = InMemorySpanStore.create();
    Span original = fixtures.trace("wide").spans().get(0);
    store.spanConsumer().accept(T, List.of(original));

    Span renamed = original.toBuilder().name("process batch v2")
        .resource(Resource.ofServiceName("batch-v2")).build();
    store.spanConsumer().accept(T, List.of(renamed));

    assertThat(store.spanCount()).isEqualTo(1);
    assertThat(store.traceReader().getTrace(T, original.traceId())).containsExactly(renamed);
    assertThat(store.serviceNames().services(T)).containsExactly("batch-v2");
    assertThat(store.serviceNames().operations(T, "batch-v2", null))
        .containsExactly(Operation.of("process batch v2", SpanKind.SERVER));
  }

  @Test
  void findsATraceWhoseMatchingSpanStartsLongAfterItsRoot() throws IOException {
    InMemorySpanStore store = InMemorySpanStore.create();
    TraceId id = TraceId.fromHex("11111111111111112222222222222222");
    Span root = Span.builder().traceId(id).spanId(1).name("migrate")
        .resource(Resource.ofServiceName("migrator"))
        .startEpochNanos(base - 3 * HOUR).endEpochNanos(base + MS).build();
    Span late = Span.builder().traceId(id).spanId(2).parentSpanId(1).name("verify")
        .resource(Resource.ofServiceName("verifier"))
        .startEpochNanos(base).endEpochNanos(base + MS).build();
    store.spanConsumer().accept(T, List.of(root, late));
    store.spanConsumer().accept(T, fixtures.spans()); // newer and older traces around it

    TraceQuery.Builder window = TraceQuery.builder().startEpochNanos(base - HOUR)
        .endEpochNanos(base + HOUR).limit(100);
    assertThat(store.traceSearch().search(window.serviceName("verifier").build()))
        .extracting(TraceSummary::traceId).containsExactly(id);
    assertThat(store.traceSearch().search(window.serviceName(null).build()))
        .extracting(TraceSummary::traceId).contains(id);
  }

  @Test
  void deleteBeforeUpdatesTheSpanCount() throws IOException {
    InMemorySpanStore store = InMemorySpanStore.create();
    store.spanConsumer().accept(T, fixtures.spans());
    int all = fixtures.spans().size();

    store.deleteBefore(base - 2 * HOUR);

    assertThat(store.spanCount()).isEqualTo(all - 2); // trace "old"
    store.clear();
    assertThat(store.spanCount()).isZero();
    assertThat(store.serviceNames().services(T)).isEmpty();
  }

  @Test
  void attributeValuesLimitMustBePositive() {
    InMemorySpanStore store = InMemorySpanStore.create();
    assertThatThrownBy(() -> store.attributeNames().values(T, "http.route", "", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  @Test
  void concurrentWritersAndReadersSeeConsistentData() throws Exception {
    InMemorySpanStore store = InMemorySpanStore.create();
    int writers = 4;
    int tracesPerWriter = 250;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit((Callable<Void>) () -> {
          for (int t = 0; t < tracesPerWriter; t++) {
            TraceId id = TraceId.of(writer + 1, t + 1);
            long start = base + t * MS;
            Span root = Span.builder().traceId(id).spanId(1).name("root").kind(SpanKind.SERVER)
                .resource(Resource.ofServiceName("svc-" + writer))
                .startEpochNanos(start).endEpochNanos(start + 2 * MS).build();
            Span child = Span.builder().traceId(id).spanId(2).parentSpanId(1).name("db")
                .kind(SpanKind.SERVER).resource(Resource.ofServiceName("db"))
                .startEpochNanos(start + MS).endEpochNanos(start + 2 * MS).build();
            store.spanConsumer().accept(T, List.of(root));
            store.spanConsumer().accept(T, List.of(child, root));
          }
          return null;
        }));
      }
      futures.add(pool.submit((Callable<Void>) () -> {
        TraceQuery q = TraceQuery.builder().startEpochNanos(base).endEpochNanos(base + HOUR)
            .serviceName("db").limit(50).build();
        for (int i = 0; i < 200; i++) {
          for (TraceSummary s : store.traceSearch().search(q)) {
            assertThat(s.spanCount()).isEqualTo(2);
          }
        }
        return null;
      }));
      for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.spanCount()).isEqualTo(writers * tracesPerWriter * 2);
    assertThat(store.serviceNames().services(T))
        .containsExactly("db", "svc-0", "svc-1", "svc-2", "svc-3");
    assertThat(store.dependencyReader().dependencies(T, base, base + HOUR))
        .allSatisfy(link -> assertThat(link.callCount()).isEqualTo(tracesPerWriter))
        .hasSize(writers);
  }
}
