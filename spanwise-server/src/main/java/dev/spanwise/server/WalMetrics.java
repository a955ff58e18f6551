package dev.spanwise.server;

import dev.spanwise.wal.WalListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The write-ahead log's events as Micrometer meters ({@code spanwise_wal_*} in Prometheus). */
final class WalMetrics implements WalListener {
  private static final Logger logger = LoggerFactory.getLogger(WalMetrics.class);

  private final Timer fsync;
  private final DistributionSummary groupRecords;
  private final Counter bytesWritten;
  private final Counter writeFailures;
  private final Counter appendsRejected;
  private final Counter corruptRecords;
  private final Counter corruptBytes;
  private final Counter segmentsDeleted;

  WalMetrics(MeterRegistry registry) {
    fsync = Timer.builder("spanwise.wal.fsync")
        .description("Time to fsync one group commit of the write-ahead log")
        .publishPercentiles(0.5, 0.99)
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(20), Duration.ofMillis(100))
        .register(registry);
    groupRecords = DistributionSummary.builder("spanwise.wal.group.records")
        .description("Batches made durable by one fsync").register(registry);
    bytesWritten = Counter.builder("spanwise.wal.written.bytes")
        .description("Bytes written to the write-ahead log").register(registry);
    writeFailures = Counter.builder("spanwise.wal.write.failures")
        .description("Group commits that failed to write or fsync").register(registry);
    appendsRejected = Counter.builder("spanwise.wal.appends.rejected")
        .description("Appends refused because the queue of batches awaiting fsync was full")
        .register(registry);
    corruptRecords = Counter.builder("spanwise.wal.corrupt.records")
        .description("Torn or corrupt records found, skipped or truncated").register(registry);
    corruptBytes = Counter.builder("spanwise.wal.corrupt.bytes")
        .description("Bytes dropped with corrupt records").register(registry);
    segmentsDeleted = Counter.builder("spanwise.wal.segments.deleted")
        .description("Write-ahead log segments deleted after indexing").register(registry);
  }

  @Override
  public void groupCommitted(int records, long bytes, long fsyncNanos) {
    fsync.record(fsyncNanos, TimeUnit.NANOSECONDS);
    groupRecords.record(records);
    bytesWritten.increment(bytes);
  }

  @Override
  public void writeFailed(int records, IOException cause) {
    writeFailures.increment();
  }

  @Override
  public void appendRejected(int recordBytes) {
    appendsRejected.increment();
  }

  @Override
  public void corruptionDetected(Path segment, long position, long bytesDropped, String reason) {
    corruptRecords.increment();
    corruptBytes.increment(bytesDropped);
    logger.warn("Write-ahead log {}: {} at position {}; {} bytes skipped", segment, reason,
        position, bytesDropped);
  }

  @Override
  public void segmentsDeleted(int segments, long bytes) {
    segmentsDeleted.increment(segments);
  }
}
