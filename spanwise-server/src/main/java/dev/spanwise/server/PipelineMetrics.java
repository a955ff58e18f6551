package dev.spanwise.server;

import dev.spanwise.collector.pipeline.DurableSpanPipeline;
import dev.spanwise.collector.pipeline.Indexer;
import dev.spanwise.storage.SpanStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Queue depth, indexer progress and disk usage as Micrometer meters. */
final class PipelineMetrics {
  static void bind(MeterRegistry registry, DurableSpanPipeline pipeline, SpanStore store) {
    Indexer indexer = pipeline.indexer();
    Gauge.builder("spanwise.wal.pending.bytes", pipeline, p -> p.walStats().pendingBytes())
        .description("Encoded batches waiting for their fsync (the ingest queue)")
        .baseUnit("bytes").register(registry);
    Gauge.builder("spanwise.wal.disk.bytes", pipeline,
            p -> p.walStats().endPosition() - p.walStats().firstPosition())
        .description("Bytes kept in write-ahead log segments").register(registry);
    Gauge.builder("spanwise.wal.segments", pipeline, p -> p.walStats().segmentCount())
        .register(registry);
    Gauge.builder("spanwise.indexer.lag.bytes", indexer, Indexer::lagBytes)
        .description("Write-ahead log bytes not yet in the store").register(registry);
    Gauge.builder("spanwise.indexer.lag.records", indexer, Indexer::lagRecords)
        .register(registry);
    FunctionCounter.builder("spanwise.indexer.spans", indexer, Indexer::indexedSpans)
        .description("Spans written into the store").register(registry);
    FunctionCounter.builder("spanwise.indexer.skipped.batches", indexer, Indexer::skippedBatches)
        .description("Batches in the log that could not be decoded and were skipped")
        .register(registry);
    FunctionCounter.builder("spanwise.indexer.store.errors", indexer, Indexer::storeErrors)
        .register(registry);
    Gauge.builder("spanwise.storage.disk.bytes", store, SpanStore::diskBytes)
        .description("Bytes the span store occupies on disk").register(registry);
  }

  private PipelineMetrics() {}
}
