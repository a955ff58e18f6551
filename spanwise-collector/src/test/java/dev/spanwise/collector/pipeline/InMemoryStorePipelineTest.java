package dev.spanwise.collector.pipeline;

import static dev.spanwise.collector.pipeline.PipelineTesting.spans;
import static dev.spanwise.collector.pipeline.PipelineTesting.traceId;
import static dev.spanwise.collector.pipeline.PipelineTesting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.memory.InMemorySpanStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable pipeline in front of the real in-memory backend. */
class InMemoryStorePipelineTest {
  @TempDir Path dir;
  final InMemorySpanStore store = InMemorySpanStore.create();

  DurableSpanPipeline open(SpanStore store) throws IOException {
    return DurableSpanPipeline.create(dir, store, DurableSpanPipeline.Options.builder()
        .flushInterval(Duration.ofMillis(20))
        .checkpointInterval(Duration.ofHours(1)) // only the final checkpoint, on close
        .minFreeDiskBytes(0)
        .build());
  }

  int traceSize(int trace) {
    try {
      return store.traceReader().getTrace(Tenants.DEFAULT, traceId(trace)).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void acknowledgedSpansBecomeReadableThroughTheStore() throws Exception {
    try (DurableSpanPipeline pipeline = open(store)) {
      for (int trace = 0; trace < 3; trace++) {
        pipeline.write(Tenants.DEFAULT, spans(trace, trace + 2)).get(10, TimeUnit.SECONDS);
      }
      waitUntil(() -> traceSize(2) == 4, "last trace readable");
      assertThat(traceSize(0)).isEqualTo(2);
      assertThat(traceSize(1)).isEqualTo(3);
      assertThat(store.serviceNames().services(Tenants.DEFAULT)).containsExactly("checkout");
    }
  }

  @Test
  void aReplayAfterACrashBeforeTheCheckpointStoresEachSpanOnce() throws Exception {
    try (DurableSpanPipeline pipeline = open(store)) {
      for (int trace = 0; trace < 4; trace++) {
        pipeline.write(Tenants.DEFAULT, spans(trace, 3)).get(10, TimeUnit.SECONDS);
      }
      waitUntil(() -> pipeline.indexer().indexedBatches() == 4, "indexed");
    }
    // The crash came after the store took the spans and before the checkpoint was written.
    Files.delete(dir.resolve(DurableSpanPipeline.CHECKPOINT_FILE));
    try (DurableSpanPipeline pipeline = open(store)) {
      waitUntil(() -> pipeline.indexer().indexedBatches() == 4, "replayed");
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "caught up");
      for (int trace = 0; trace < 4; trace++) {
        assertThat(traceSize(trace)).isEqualTo(3);
      }
    }
  }
}
