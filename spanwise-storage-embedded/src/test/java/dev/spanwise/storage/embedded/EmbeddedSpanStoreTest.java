package dev.spanwise.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedSpanStoreTest {
  static final String T = Tenants.DEFAULT;
  static final long SECOND = 1_000_000_000L;
  static final long MINUTE = 60 * SECOND;
  static final long BASE = 1_767_225_600L * SECOND; // a minute boundary

  @TempDir Path dir;
  EmbeddedSpanStore store;

  @AfterEach
  void close() throws IOException {
    if (store != null) store.close();
  }

  EmbeddedSpanStore open() throws IOException {
    return EmbeddedSpanStore.open(dir, EmbeddedSpanStore.Options.builder()
        .ramBufferMb(8)
        .commitInterval(Duration.ofHours(1))
        .build());
  }

  static Span span(TraceId trace, long id, long parent, String service, SpanKind kind,
      long start, Attributes attributes) {
    return Span.builder()
        .traceId(trace)
        .spanId(id)
        .parentSpanId(parent)
        .resource(Resource.ofServiceName(service))
        .name(service + "-op")
        .kind(kind)
        .startEpochNanos(start)
        .endEpochNanos(start + 10_000_000)
        .attributes(attributes)
        .build();
  }

  /** frontend (server) -> frontend client (peer.service=backend) -> backend server. */
  static List<Span> call(TraceId trace, long start) {
    return List.of(
        span(trace, 1, 0, "frontend", SpanKind.SERVER, start, Attributes.EMPTY),
        span(trace, 2, 1, "frontend", SpanKind.CLIENT, start + SECOND,
            Attributes.of("peer.service", "backend")),
        span(trace, 3, 2, "backend", SpanKind.SERVER, start + 2 * SECOND, Attributes.EMPTY));
  }

  /**
   * Services, span names and values outside ASCII, and names too long for the string table (their
   * summaries read the stored span), are searched and summarised like any other.
   */
  @Test
  void unusualNamesAreFoundAndSummarised() throws IOException {
    store = open();
    String longName = "GET /" + "x".repeat(400);
    TraceId trace = TraceId.of(7, 7);
    Span root = span(trace, 1, 0, "caf\u00e9 \u65e5\u672c", SpanKind.SERVER, BASE,
        Attributes.of("who", "\u00e9l\u00e8ve \ud83d\ude00")).toBuilder().name(longName).build();
    Span child = span(trace, 2, 1, "db", SpanKind.CLIENT, BASE + SECOND, Attributes.EMPTY)
        .toBuilder().name("SELECT \u00fc").build();
    store.spanConsumer().accept(T, List.of(root, child));
    store.flush();

    List<TraceSummary> found = store.traceSearch().search(TraceQuery.builder()
        .serviceName("caf\u00e9 \u65e5\u672c")
        .spanName(longName)
        .addAttributeFilter(AttributeFilter.equalTo("who", "\u00e9l\u00e8ve \ud83d\ude00"))
        .startEpochNanos(BASE - MINUTE).endEpochNanos(BASE + MINUTE).limit(10).build());
    assertThat(found).hasSize(1);
    TraceSummary summary = found.get(0);
    assertThat(summary.rootServiceName()).isEqualTo("caf\u00e9 \u65e5\u672c");
    assertThat(summary.rootSpanName()).isEqualTo(longName);
    assertThat(summary.spanCountByService())
        .containsEntry("caf\u00e9 \u65e5\u672c", 1).containsEntry("db", 1);
    assertThat(store.traceSearch().search(TraceQuery.builder().spanName("SELECT \u00fc")
        .startEpochNanos(BASE - MINUTE).endEpochNanos(BASE + MINUTE).limit(10).build()))
        .extracting(TraceSummary::traceId).containsExactly(trace);
    assertThat(store.attributeNames().values(T, "who", "\u00e9l", 10))
        .containsExactly("\u00e9l\u00e8ve \ud83d\ude00");
  }

  /** A data directory of another document layout is refused with a message saying what to do. */
  @Test
  void anIndexOfAnotherLayoutIsRefused() throws IOException {
    Path tenantDir = dir.resolve("tenants").resolve("t-" + T);
    java.nio.file.Files.createDirectories(tenantDir);
    try (org.apache.lucene.store.Directory d =
            org.apache.lucene.store.FSDirectory.open(tenantDir);
        org.apache.lucene.index.IndexWriter w = new org.apache.lucene.index.IndexWriter(d,
            new org.apache.lucene.index.IndexWriterConfig())) {
      // a span document of an earlier build: no layout in the commit's user data
      org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
      doc.add(new org.apache.lucene.document.StringField("svc", "frontend",
          org.apache.lucene.document.Field.Store.NO));
      w.addDocument(doc);
      w.commit();
    }

    assertThatThrownBy(this::open).isInstanceOf(IOException.class)
        .hasMessageContaining("another version of Spanwise")
        .hasMessageContaining("empty --data-dir");
  }

  @Test
  void declaresEveryCapability() throws IOException {
    store = open();

    assertThat(store.capabilities()).containsExactlyInAnyOrder(StorageCapability.values());
  }

  @Test
  void reopenAfterUncleanStopKeepsWhatWasCommittedAndReplayAddsNoDuplicates()
      throws IOException {
    store = open();
    TraceId trace = TraceId.of(1, 1);
    List<Span> spans = call(trace, BASE);
    store.spanConsumer().accept(T, spans.subList(0, 2));
    store.flush(); // committed
    store.spanConsumer().accept(T, spans.subList(2, 3)); // accepted, never committed
    store.abandonForTest();

    store = open();
    assertThat(store.traceReader().getTrace(T, trace)).containsExactlyElementsOf(
        spans.subList(0, 2));
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + MINUTE))
        .containsExactly(DependencyLink.of("frontend", "backend", 1, 0));

    // the write-ahead log replays the whole batch history
    store.spanConsumer().accept(T, spans.subList(0, 2));
    store.spanConsumer().accept(T, spans.subList(2, 3));
    store.flush();

    assertThat(store.traceReader().getTrace(T, trace)).containsExactlyElementsOf(spans);
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + MINUTE))
        .containsExactly(DependencyLink.of("frontend", "backend", 1, 0));
  }

  @Test
  void firstReadAfterAnIdleSpellSeesEverythingAcceptedWithoutAFlush() throws IOException {
    store = open();
    TraceId trace = TraceId.of(12, 1);
    store.spanConsumer().accept(T, call(trace, BASE));

    assertThat(store.traceReader().getTrace(T, trace)).hasSize(3);
    assertThat(store.traceSearch().search(TraceQuery.builder().serviceName("backend")
        .startEpochNanos(BASE).endEpochNanos(BASE + MINUTE).build())).hasSize(1);
  }

  @Test
  void reopenAfterCloseKeepsSpansAndRollups() throws IOException {
    store = open();
    TraceId trace = TraceId.of(0, 77);
    store.spanConsumer().accept(T, call(trace, BASE));
    store.close();

    store = open();
    assertThat(store.traceReader().getTrace(T, trace)).hasSize(3);
    assertThat(store.serviceNames().services(T)).containsExactly("backend", "frontend");
    assertThat(store.serviceNames().remoteServices(T, "frontend")).containsExactly("backend");
    assertThat(store.attributeNames().keys(T, "frontend"))
        .containsExactly("peer.service", "service.name");
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + MINUTE))
        .containsExactly(DependencyLink.of("frontend", "backend", 1, 0));
  }

  @Test
  void childrenBeforeParentsAcrossBatchesAndAfterCacheEviction() throws IOException {
    store = EmbeddedSpanStore.open(dir, EmbeddedSpanStore.Options.builder()
        .recentTraceCacheSpans(0) // every batch looks its traces up in the index
        .build());
    TraceId trace = TraceId.of(3, 3);
    List<Span> spans = call(trace, BASE);
    store.spanConsumer().accept(T, List.of(spans.get(2)));
    store.spanConsumer().accept(T, List.of(spans.get(0)));
    store.spanConsumer().accept(T, List.of(spans.get(1)));
    store.spanConsumer().accept(T, List.of(spans.get(1)));
    store.flush();

    assertThat(store.traceReader().getTrace(T, trace)).containsExactlyElementsOf(spans);
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + MINUTE))
        .containsExactly(DependencyLink.of("frontend", "backend", 1, 0));
  }

  @Test
  void getTracesReadsTracesSpreadOverSegmentsAndLooksUpManyTracesAtOnce() throws IOException {
    store = EmbeddedSpanStore.open(dir, EmbeddedSpanStore.Options.builder()
        .recentTraceCacheSpans(0) // ingest looks every batch's traces up in the index
        .commitInterval(Duration.ofHours(1))
        .build());
    TraceId a = TraceId.of(5, 1);
    TraceId b = TraceId.of(5, 2);
    TraceId c = TraceId.of(5, 3);
    List<Span> traceA = call(a, BASE);
    List<Span> traceB = call(b, BASE + MINUTE);
    List<Span> traceC = call(c, BASE + 2 * MINUTE);
    // each flush ends a segment: every trace ends up spread over three of them
    for (int i = 0; i < 3; i++) {
      store.spanConsumer().accept(T, List.of(traceA.get(i), traceB.get(2 - i), traceC.get(i)));
      store.flush();
    }
    // a replay of all three traces in one batch stores nothing twice
    List<Span> replay = new java.util.ArrayList<>(traceA);
    replay.addAll(traceB);
    replay.addAll(traceC);
    store.spanConsumer().accept(T, replay);
    store.flush();

    assertThat(store.traceReader().getTraces(T, List.of(c, TraceId.of(9, 9), a, b, a)))
        .containsExactly(traceC, traceA, traceB, traceA);
    assertThat(store.traceReader().getTrace(T, b)).containsExactlyElementsOf(traceB);
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + 3 * MINUTE))
        .containsExactly(DependencyLink.of("frontend", "backend", 3, 0));
  }

  @Test
  void recentPartialMinutesOfDependenciesAreExactToTheSecond() throws IOException {
    store = open();
    // backend answers at +2 s of each trace start
    store.spanConsumer().accept(T, call(TraceId.of(2, 1), BASE + 8 * SECOND));
    store.spanConsumer().accept(T, call(TraceId.of(2, 2), BASE + 48 * SECOND));
    store.spanConsumer().accept(T, call(TraceId.of(2, 3), BASE + MINUTE + 8 * SECOND));
    store.flush();

    assertThat(store.dependencyReader().dependencies(T, BASE + 5 * SECOND, BASE + 30 * SECOND))
        .containsExactly(DependencyLink.of("frontend", "backend", 1, 0));
    assertThat(store.dependencyReader().dependencies(T, BASE + 30 * SECOND,
        BASE + MINUTE + 30 * SECOND))
        .containsExactly(DependencyLink.of("frontend", "backend", 2, 0));
    assertThat(store.dependencyReader().dependencies(T, BASE + 11 * SECOND, BASE + 50 * SECOND))
        .isEmpty();
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + 2 * MINUTE))
        .containsExactly(DependencyLink.of("frontend", "backend", 3, 0));

    // per-second counts are not persisted: after reopening, whole minutes only
    store.close();
    store = open();
    assertThat(store.dependencyReader().dependencies(T, BASE + 5 * SECOND, BASE + 30 * SECOND))
        .isEmpty();
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + 2 * MINUTE))
        .containsExactly(DependencyLink.of("frontend", "backend", 3, 0));
  }

  @Test
  void bigTraceReplayedInBatchesIsStoredOnce() throws IOException {
    store = open();
    TraceId trace = TraceId.of(4, 4);
    List<Span> spans = new ArrayList<>();
    spans.add(span(trace, 1, 0, "batch", SpanKind.SERVER, BASE, Attributes.EMPTY));
    for (int i = 2; i <= 5000; i++) {
      spans.add(span(trace, i, 1, i % 2 == 0 ? "batch" : "worker", SpanKind.INTERNAL,
          BASE + i * 1000L, Attributes.EMPTY));
    }
    for (int round = 0; round < 2; round++) {
      for (int from = 0; from < spans.size(); from += 1000) {
        store.spanConsumer().accept(T, spans.subList(from, Math.min(spans.size(), from + 1000)));
      }
    }
    store.flush();

    assertThat(store.traceReader().getTrace(T, trace)).hasSize(5000);
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + MINUTE))
        .containsExactly(DependencyLink.of("batch", "worker", 2499, 0));
  }

  @Test
  void retentionDeletesOldTracesAndFreesDisk() throws IOException {
    store = open();
    List<Span> old = new ArrayList<>();
    for (int i = 0; i < 2000; i++) old.addAll(call(TraceId.of(5, i + 1), BASE + i * SECOND));
    store.spanConsumer().accept(T, old);
    TraceId recent = TraceId.of(6, 1);
    store.spanConsumer().accept(T, call(recent, BASE + 3 * 3600 * SECOND));
    store.flush();
    long before = store.diskBytes();

    store.deleteBefore(BASE + 3600 * SECOND);

    assertThat(store.traceReader().getTrace(T, TraceId.of(5, 1))).isEmpty();
    assertThat(store.traceReader().getTrace(T, recent)).hasSize(3);
    assertThat(store.dependencyReader().dependencies(T, BASE, BASE + 3600 * SECOND)).isEmpty();
    store.close();
    store = open();
    assertThat(store.diskBytes()).isGreaterThan(0).isLessThan(before);
    assertThat(store.traceReader().getTrace(T, TraceId.of(5, 1999))).isEmpty();
  }

  @Test
  void searchesAttributesOfEveryTypeAndLength() throws IOException {
    store = open();
    String longValue = "x".repeat(1000);
    TraceId a = TraceId.of(7, 1);
    TraceId b = TraceId.of(7, 2);
    store.spanConsumer().accept(T, List.of(
        span(a, 1, 0, "svc", SpanKind.SERVER, BASE, Attributes.builder()
            .put("long.text", longValue)
            .put("count", 42L)
            .put("ok", true)
            .put("bytes", AttributeValue.ofBytes(new byte[] {1, 2}))
            .put("a=b", "c")
            .build()),
        span(b, 1, 0, "svc", SpanKind.SERVER, BASE + SECOND, Attributes.builder()
            .put("long.text", longValue + "y")
            .put("a", "b=c")
            .build())));
    store.flush();

    assertThat(ids(filter(AttributeFilter.equalTo("long.text", longValue)))).containsExactly(a);
    assertThat(ids(filter(AttributeFilter.equalTo("count", "42")))).containsExactly(a);
    assertThat(ids(filter(AttributeFilter.equalTo("ok", "true")))).containsExactly(a);
    assertThat(ids(filter(AttributeFilter.equalTo("bytes", "AQI=")))).containsExactly(a);
    assertThat(ids(filter(AttributeFilter.exists("long.text")))).containsExactly(b, a);
    assertThat(ids(filter(AttributeFilter.exists("a")))).containsExactly(b);
    assertThat(ids(filter(AttributeFilter.equalTo("a", "b=c")))).containsExactly(b);
    assertThat(ids(filter(AttributeFilter.equalTo("a=b", "c")))).containsExactly(a);
  }

  @Test
  void searchFindsTheNewestTracesWhoseOneSpanMatchesEverything() throws IOException {
    store = open();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      TraceId id = TraceId.of(8, i + 1);
      spans.addAll(call(id, BASE + i * SECOND));
      if (i % 10 == 0) {
        spans.add(span(id, 9, 3, "backend", SpanKind.CLIENT, BASE + i * SECOND + 1,
            Attributes.of("db.system", "redis")).toBuilder().status(Status.error("down"))
            .endEpochNanos(BASE + i * SECOND + SECOND).build());
      }
    }
    store.spanConsumer().accept(T, spans);
    store.flush();

    List<TraceSummary> found = store.traceSearch().search(TraceQuery.builder()
        .serviceName("backend")
        .spanKind(SpanKind.CLIENT)
        .errorOnly(true)
        .addAttributeFilter(AttributeFilter.equalTo("db.system", "redis"))
        .minDurationNanos(500_000_000L)
        .startEpochNanos(BASE)
        .endEpochNanos(BASE + 3600 * SECOND)
        .limit(3)
        .build());

    assertThat(found).extracting(TraceSummary::traceId)
        .containsExactly(TraceId.of(8, 41), TraceId.of(8, 31), TraceId.of(8, 21));
    TraceSummary first = found.get(0);
    assertThat(first.rootServiceName()).isEqualTo("frontend");
    assertThat(first.rootSpanName()).isEqualTo("frontend-op");
    assertThat(first.spanCount()).isEqualTo(4);
    assertThat(first.errorCount()).isEqualTo(1);
    assertThat(first.startEpochNanos()).isEqualTo(BASE + 40 * SECOND);
    assertThat(first.spanCountByService()).containsEntry("frontend", 2).containsEntry("backend", 2);
    // the same conditions on different spans do not match
    assertThat(store.traceSearch().search(TraceQuery.builder()
        .serviceName("frontend")
        .addAttributeFilter(AttributeFilter.equalTo("db.system", "redis"))
        .startEpochNanos(BASE).endEpochNanos(BASE + 3600 * SECOND).build())).isEmpty();
  }

  /**
   * A window is searched in slices from its newest span backwards: the newest matches come first
   * whether the window ends at the data or hours after it, and matches far apart are all found.
   */
  @Test
  void searchFindsTheNewestMatchesWhereverTheyAreInTheWindow() throws IOException {
    store = open();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // one trace every 6 s for an hour; each 100th is rare
      spans.add(span(TraceId.of(9, i + 1), 1, 0, "svc", SpanKind.SERVER, BASE + i * 6 * SECOND,
          Attributes.of("rare", i % 100 == 0 ? "yes" : "no")));
    }
    store.spanConsumer().accept(T, spans);
    store.flush();

    List<Long> newestFirst = new ArrayList<>(); // trace ids 600 down to 576
    for (long id = 600; id > 575; id--) newestFirst.add(id);
    for (long end : new long[] {BASE + 3600 * SECOND, BASE + 10 * 3600 * SECOND}) {
      List<TraceSummary> newest = store.traceSearch().search(TraceQuery.builder()
          .serviceName("svc").startEpochNanos(BASE).endEpochNanos(end).limit(25).build());
      assertThat(newest).extracting(t -> t.traceId().low())
          .as("window ending at %d", end)
          .containsExactlyElementsOf(newestFirst);
      List<TraceSummary> rare = store.traceSearch().search(TraceQuery.builder()
          .serviceName("svc").addAttributeFilter(AttributeFilter.equalTo("rare", "yes"))
          .startEpochNanos(BASE).endEpochNanos(end).limit(25).build());
      assertThat(rare).extracting(t -> t.traceId().low()).containsExactly(501L, 401L, 301L, 201L,
          101L, 1L);
    }
    // nothing in the window, before or after the data
    assertThat(store.traceSearch().search(TraceQuery.builder().serviceName("svc")
        .startEpochNanos(BASE + 3600 * SECOND).endEpochNanos(BASE + 7200 * SECOND).build()))
        .isEmpty();
    assertThat(store.traceSearch().search(TraceQuery.builder().serviceName("svc")
        .startEpochNanos(BASE - 3600 * SECOND).endEpochNanos(BASE - 1).build())).isEmpty();
  }

  @Test
  void tenantsAreIsolatedAndSurviveReopening() throws IOException {
    store = open();
    store.spanConsumer().accept("tenant/ü", call(TraceId.of(9, 1), BASE));
    store.spanConsumer().accept("plain-tenant", call(TraceId.of(9, 2), BASE));
    store.close();

    store = open();
    assertThat(store.traceReader().getTrace("tenant/ü", TraceId.of(9, 1))).hasSize(3);
    assertThat(store.traceReader().getTrace("tenant/ü", TraceId.of(9, 2))).isEmpty();
    assertThat(store.traceReader().getTrace("plain-tenant", TraceId.of(9, 2))).hasSize(3);
    assertThat(store.serviceNames().services(T)).isEmpty();
  }

  @Test
  void optionsNameTheWrongField() {
    assertThatThrownBy(() -> EmbeddedSpanStore.Options.builder().ramBufferMb(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ramBufferMb");
    assertThatThrownBy(() -> EmbeddedSpanStore.Options.builder()
        .refreshInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval");
    assertThatThrownBy(() -> EmbeddedSpanStore.Options.builder()
        .recentTraceCacheSpans(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recentTraceCacheSpans");
  }

  @Test
  void closedStoreRefusesWork() throws IOException {
    store = open();
    store.close();

    assertThatThrownBy(() -> store.spanConsumer().accept(T, call(TraceId.of(1, 2), BASE)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  private TraceQuery filter(AttributeFilter f) {
    return TraceQuery.builder().addAttributeFilter(f).startEpochNanos(BASE)
        .endEpochNanos(BASE + MINUTE).build();
  }

  private List<TraceId> ids(TraceQuery q) throws IOException {
    List<TraceId> ids = new ArrayList<>();
    for (TraceSummary s : store.traceSearch().search(q)) ids.add(s.traceId());
    return ids;
  }
}
