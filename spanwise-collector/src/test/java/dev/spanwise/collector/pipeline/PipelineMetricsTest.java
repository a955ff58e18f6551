package dev.spanwise.collector.pipeline;

import static dev.spanwise.collector.pipeline.PipelineTesting.spans;
import static dev.spanwise.collector.pipeline.PipelineTesting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.storage.Tenants;
import dev.spanwise.wal.WalOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineMetricsTest {
  @TempDir Path dir;

  @Test
  void publishesTheLogAndTheIndexer() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FakeSpanStore store = new FakeSpanStore();
    DurableSpanPipeline.Options options = DurableSpanPipeline.Options.builder()
        .walOptions(WalOptions.builder().listener(PipelineMetrics.walListener(registry)).build())
        .flushInterval(Duration.ofMillis(20))
        .minFreeDiskBytes(0)
        .build();
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options)) {
      PipelineMetrics.bind(pipeline, registry);
      for (int i = 0; i < 3; i++) {
        pipeline.write(Tenants.DEFAULT, spans(i, 4)).get(10, TimeUnit.SECONDS);
      }
      waitUntil(() -> registry.get("spanwise.indexer.spans").functionCounter().count() == 12,
          "indexed spans counted");
      assertThat(registry.get("spanwise.wal.fsync").timer().count()).isBetween(1L, 3L);
      assertThat(registry.get("spanwise.wal.group.records").summary().totalAmount()).isEqualTo(3);
      assertThat(registry.get("spanwise.wal.written").counter().count())
          .isEqualTo(pipeline.walStats().appendedBytes());
      waitUntil(() -> registry.get("spanwise.indexer.lag").gauge().value() == 0, "lag 0");
      assertThat(registry.get("spanwise.indexer.lag.records").gauge().value()).isZero();
      assertThat(registry.get("spanwise.indexer.running").gauge().value()).isEqualTo(1);
      assertThat(registry.get("spanwise.wal.segments").gauge().value()).isEqualTo(1);
      assertThat(registry.get("spanwise.wal.appends.rejected").counter().count()).isZero();
    }
  }
}
