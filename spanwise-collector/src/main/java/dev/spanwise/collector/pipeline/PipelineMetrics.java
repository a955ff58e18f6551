package dev.spanwise.collector.pipeline;

import dev.spanwise.wal.WalListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the durable pipeline to Micrometer: {@link #walListener} records the log's events
 * (pass it to {@code WalOptions.builder().listener(...)} before the pipeline opens the log), and
 * {@link #bind} adds gauges for the indexer's lag and counters of its work.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><td>{@code spanwise.wal.fsync}</td><td>timer: one per group commit</td></tr>
 * <tr><td>{@code spanwise.wal.group.records}</td><td>summary: records per fsync</td></tr>
 * <tr><td>{@code spanwise.wal.written}</td><td>counter, bytes</td></tr>
 * <tr><td>{@code spanwise.wal.write.failures}</td><td>counter: appends failed by I/O errors</td></tr>
 * <tr><td>{@code spanwise.wal.appends.rejected}</td><td>counter: refused, budget full</td></tr>
 * <tr><td>{@code spanwise.wal.corruptions}</td><td>counter: damaged stretches found</td></tr>
 * <tr><td>{@code spanwise.wal.corrupt}</td><td>counter, bytes truncated or skipped</td></tr>
 * <tr><td>{@code spanwise.wal.pending}</td><td>gauge, bytes queued for the writer</td></tr>
 * <tr><td>{@code spanwise.wal.segments}</td><td>gauge: segment files kept</td></tr>
 * <tr><td>{@code spanwise.indexer.lag}</td><td>gauge, bytes of log not yet indexed</td></tr>
 * <tr><td>{@code spanwise.indexer.lag.records}</td><td>gauge: records not yet indexed</td></tr>
 * <tr><td>{@code spanwise.indexer.spans}</td><td>counter: spans written to the store</td></tr>
 * <tr><td>{@code spanwise.indexer.batches.skipped}</td><td>counter: undecodable batches</td></tr>
 * <tr><td>{@code spanwise.indexer.batches.failed}</td><td>counter: batches the store refused</td></tr>
 * <tr><td>{@code spanwise.indexer.store.errors}</td><td>counter: failed (retried) store calls</td></tr>
 * <tr><td>{@code spanwise.indexer.read.errors}</td><td>counter: failed (retried) log reads</td></tr>
 * <tr><td>{@code spanwise.indexer.running}</td><td>gauge: 1 while the indexer runs</td></tr>
 * </table>
 */
public final class PipelineMetrics {
  private static final Logger logger = LoggerFactory.getLogger(PipelineMetrics.class);
  private PipelineMetrics() {}

  /** A log listener recording into {@code registry}. */
  public static WalListener walListener(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Timer fsync = Timer.builder("spanwise.wal.fsync")
        .description("Write-ahead log group commits: time in FileChannel.force")
        .publishPercentiles(0.5, 0.99)
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(20), Duration.ofMillis(100))
        .register(registry);
    DistributionSummary groupRecords = DistributionSummary.builder("spanwise.wal.group.records")
        .description("Records made durable by one fsync").register(registry);
    Counter written = Counter.builder("spanwise.wal.written").baseUnit("bytes")
        .description("Bytes appended to the write-ahead log").register(registry);
    Counter writeFailures = Counter.builder("spanwise.wal.write.failures")
        .description("Appends failed by an I/O error").register(registry);
    Counter rejected = Counter.builder("spanwise.wal.appends.rejected")
        .description("Appends refused because the pending budget was full").register(registry);
    Counter corruptions = Counter.builder("spanwise.wal.corruptions")
        .description("Damaged stretches of the log found and dropped").register(registry);
    Counter corruptBytes = Counter.builder("spanwise.wal.corrupt").baseUnit("bytes")
        .description("Bytes of the log truncated or skipped as damaged").register(registry);
    return new WalListener() {
      @Override
      public void groupCommitted(int records, long bytes, long fsyncNanos) {
        fsync.record(fsyncNanos, TimeUnit.NANOSECONDS);
        groupRecords.record(records);
        written.increment(bytes);
      }

      @Override
      public void writeFailed(int records, IOException cause) {
        writeFailures.increment(records);
      }

      @Override
      public void appendRejected(int recordBytes) {
        rejected.increment();
      }

      @Override
      public void corruptionDetected(Path segment, long position, long bytesDropped, String reason) {
        corruptions.increment();
        corruptBytes.increment(bytesDropped);
        logger.warn("Write-ahead log {}: {} at position {}; {} bytes dropped", segment, reason,
            position, bytesDropped);
      }
    };
  }

  /** Gauges and counters of {@code pipeline}'s log and indexer. */
  public static void bind(DurableSpanPipeline pipeline, MeterRegistry registry) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(registry, "registry");
    Indexer indexer = pipeline.indexer();
    Gauge.builder("spanwise.wal.pending", pipeline, p -> p.walStats().pendingBytes())
        .baseUnit("bytes").description("Bytes queued for the write-ahead log writer")
        .register(registry);
    Gauge.builder("spanwise.wal.segments", pipeline, p -> p.walStats().segmentCount())
        .description("Write-ahead log segment files kept").register(registry);
    Gauge.builder("spanwise.indexer.lag", indexer, Indexer::lagBytes).baseUnit("bytes")
        .description("Bytes of the write-ahead log not yet indexed").register(registry);
    Gauge.builder("spanwise.indexer.lag.records", indexer, Indexer::lagRecords)
        .description("Records appended since start and not yet indexed").register(registry);
    Gauge.builder("spanwise.indexer.running", indexer, i -> i.isRunning() ? 1 : 0)
        .description("1 while the indexer thread runs").register(registry);
    FunctionCounter.builder("spanwise.indexer.spans", indexer, Indexer::indexedSpans)
        .description("Spans written to the store").register(registry);
    FunctionCounter.builder("spanwise.indexer.batches.skipped", indexer, Indexer::skippedBatches)
        .description("Batches skipped because they could not be decoded").register(registry);
    FunctionCounter.builder("spanwise.indexer.batches.failed", indexer, Indexer::failedBatches)
        .description("Batches the store kept refusing").register(registry);
    FunctionCounter.builder("spanwise.indexer.store.errors", indexer, Indexer::storeErrors)
        .description("Failed store writes, flushes and checkpoints (retried)").register(registry);
    FunctionCounter.builder("spanwise.indexer.read.errors", indexer, Indexer::readErrors)
        .description("Failed reads of the write-ahead log (retried)").register(registry);
  }
}
