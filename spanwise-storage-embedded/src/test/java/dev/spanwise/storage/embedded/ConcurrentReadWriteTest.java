package dev.spanwise.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.TraceQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers keep reading while one writer ingests, with refreshes and commits going on. */
class ConcurrentReadWriteTest {
  @TempDir Path dir;

  @Test
  void readersSeeConsistentTracesWhileTheWriterIngests() throws Exception {
    long start = 1_767_225_600_000_000_000L;
    WorkloadGenerator generator = new WorkloadGenerator(1, start, 1_000_000L);
    Map<TraceId, Integer> spansPerTrace = new HashMap<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    try (EmbeddedSpanStore store = EmbeddedSpanStore.open(dir, EmbeddedSpanStore.Options.builder()
        .refreshInterval(Duration.ofMillis(5))
        .commitInterval(Duration.ofMillis(50))
        .recentTraceCacheSpans(500)
        .build())) {
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        Thread t = new Thread(() -> {
          try {
            while (!done.get()) {
              for (TraceId id : new ArrayList<>(generator.sampleTraceIdsSnapshot())) {
                List<Span> trace = store.traceReader().getTrace(Tenants.DEFAULT, id);
                for (Span s : trace) assertThat(s.traceId()).isEqualTo(id);
              }
              store.traceSearch().search(TraceQuery.builder()
                  .serviceName("checkout")
                  .addAttributeFilter(AttributeFilter.equalTo("http.request.method", "GET"))
                  .startEpochNanos(start).endEpochNanos(start + 3_600_000_000_000L).build());
              store.serviceNames().services(Tenants.DEFAULT);
              store.dependencyReader().dependencies(Tenants.DEFAULT, start,
                  start + 3_600_000_000_000L);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        t.start();
        readers.add(t);
      }
      for (int b = 0; b < 20; b++) {
        List<Span> batch = generator.nextBatch(500);
        for (Span s : batch) spansPerTrace.merge(s.traceId(), 1, Integer::sum);
        store.spanConsumer().accept(Tenants.DEFAULT, batch);
      }
      List<Span> rest = generator.drain();
      for (Span s : rest) spansPerTrace.merge(s.traceId(), 1, Integer::sum);
      store.spanConsumer().accept(Tenants.DEFAULT, rest);
      store.flush();
      done.set(true);
      for (Thread t : readers) t.join();

      assertThat(failures).isEmpty();
      for (TraceId id : generator.sampleTraceIds()) {
        assertThat(store.traceReader().getTrace(Tenants.DEFAULT, id)).hasSize(spansPerTrace.get(id));
      }
      assertThat(store.serviceNames().services(Tenants.DEFAULT)).hasSize(12);
    }
  }
}
