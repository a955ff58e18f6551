package dev.spanwise.tracer.export;

import dev.spanwise.tracer.internal.BoundedMpscQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Queues ended spans and exports them in batches from one background worker thread. {@link
 * #onEnd} never blocks or throws: when the bounded queue is full the span is dropped and counted
 * ({@link #droppedSpans()}).
 */
public final class BatchSpanProcessor implements SpanProcessor {
  private static final Logger LOG = Logger.getLogger(BatchSpanProcessor.class.getName());

  private final SpanExporter exporter;
  private final long scheduleDelayNanos;
  private final int maxExportBatchSize;
  private final long exportTimeoutNanos;
  private final BoundedMpscQueue<SpanData> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failedSpans = new AtomicLong();
  private final ConcurrentLinkedQueue<CompletableFuture<Boolean>> flushRequests =
      new ConcurrentLinkedQueue<>();
  private final Thread worker;
  private volatile boolean sleeping;
  private volatile boolean shutdown;

  private BatchSpanProcessor(Builder b) {
    this.exporter = b.exporter;
    this.scheduleDelayNanos = b.scheduleDelay.toNanos();
    this.maxExportBatchSize = b.maxExportBatchSize;
    this.exportTimeoutNanos = b.exportTimeout.toNanos();
    this.queue = new BoundedMpscQueue<>(b.maxQueueSize);
    this.worker = new Thread(this::run, "spanwise-batch-span-processor");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  public static Builder builder(SpanExporter exporter) {
    return new Builder(Objects.requireNonNull(exporter, "exporter"));
  }

  @Override
  public void onEnd(SpanData span) {
    if (shutdown) {
      return;
    }
    if (!queue.offer(span)) {
      dropped.incrementAndGet();
      return;
    }
    if (sleeping && queue.size() >= maxExportBatchSize) {
      sleeping = false;
      LockSupport.unpark(worker);
    }
  }

  /** Spans dropped because the queue was full. */
  public long droppedSpans() {
    return dropped.get();
  }

  /** Spans the exporter accepted. */
  public long exportedSpans() {
    return exported.get();
  }

  /** Spans in batches the exporter failed to send. */
  public long failedSpans() {
    return failedSpans.get();
  }

  /** Spans waiting in the queue. */
  public int queuedSpans() {
    return queue.size();
  }

  @Override
  public boolean flush(Duration timeout) {
    if (!worker.isAlive()) {
      return queue.size() == 0;
    }
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    flushRequests.add(done);
    LockSupport.unpark(worker);
    try {
      return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public boolean shutdown(Duration timeout) {
    if (shutdown) {
      return !worker.isAlive();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean flushed = flush(timeout);
    shutdown = true;
    LockSupport.unpark(worker);
    try {
      long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      worker.join(remaining);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exporter.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    return flushed && !worker.isAlive();
  }

  private void run() {
    List<SpanData> batch = new ArrayList<>(maxExportBatchSize);
    long nextExport = System.nanoTime() + scheduleDelayNanos;
    while (true) {
      queue.drainTo(batch, maxExportBatchSize - batch.size());
      if (batch.size() >= maxExportBatchSize) {
        export(batch);
        nextExport = System.nanoTime() + scheduleDelayNanos;
        continue;
      }
      if (!flushRequests.isEmpty() || shutdown) {
        do {
          queue.drainTo(batch, maxExportBatchSize - batch.size());
          export(batch);
        } while (queue.size() > 0);
        exporter.flush();
        CompletableFuture<Boolean> request;
        while ((request = flushRequests.poll()) != null) {
          request.complete(Boolean.TRUE);
        }
        if (shutdown) {
          return;
        }
        nextExport = System.nanoTime() + scheduleDelayNanos;
        continue;
      }
      long now = System.nanoTime();
      if (now - nextExport >= 0) {
        export(batch);
        nextExport = now + scheduleDelayNanos;
        continue;
      }
      sleeping = true;
      if (queue.size() < maxExportBatchSize && flushRequests.isEmpty() && !shutdown) {
        LockSupport.parkNanos(this, nextExport - now);
      }
      sleeping = false;
    }
  }

  private void export(List<SpanData> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      ExportResult result = exporter.export(Collections.unmodifiableList(batch));
      if (result == ExportResult.SUCCESS) {
        exported.addAndGet(batch.size());
      } else {
        failedSpans.addAndGet(batch.size());
      }
    } catch (RuntimeException e) {
      failedSpans.addAndGet(batch.size());
      LOG.log(Level.WARNING, "span exporter threw; " + batch.size() + " spans lost", e);
    } finally {
      batch.clear();
    }
  }

  long exportTimeoutNanos() {
    return exportTimeoutNanos;
  }

  @Override
  public String toString() {
    return "BatchSpanProcessor{exporter=" + exporter + ", maxQueueSize=" + queue.capacity()
        + ", maxExportBatchSize=" + maxExportBatchSize + "}";
  }

  /** Builds a {@link BatchSpanProcessor}; defaults as OpenTelemetry's {@code OTEL_BSP_*}. */
  public static final class Builder {
    private final SpanExporter exporter;
    private Duration scheduleDelay = Duration.ofMillis(5000);
    private Duration exportTimeout = Duration.ofMillis(30000);
    private int maxQueueSize = 2048;
    private int maxExportBatchSize = 512;

    private Builder(SpanExporter exporter) {
      this.exporter = exporter;
    }

    public Builder scheduleDelay(Duration delay) {
      if (delay == null || delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("scheduleDelay must be positive, was " + delay);
      }
      this.scheduleDelay = delay;
      return this;
    }

    public Builder exportTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("exportTimeout must be positive, was " + timeout);
      }
      this.exportTimeout = timeout;
      return this;
    }

    public Builder maxQueueSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("maxQueueSize must be >= 1, was " + size);
      }
      this.maxQueueSize = size;
      return this;
    }

    public Builder maxExportBatchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("maxExportBatchSize must be >= 1, was " + size);
      }
      this.maxExportBatchSize = size;
      return this;
    }

    public BatchSpanProcessor build() {
      if (maxExportBatchSize > maxQueueSize) {
        throw new IllegalArgumentException("maxExportBatchSize (" + maxExportBatchSize
            + ") must be <= maxQueueSize (" + maxQueueSize + ")");
      }
      return new BatchSpanProcessor(this);
    }
  }
}
