package dev.spanwise.collector.pipeline;

import dev.spanwise.codec.SpanBatch;
import dev.spanwise.codec.SpanBatchCodec;
import dev.spanwise.model.Span;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.wal.Checkpoint;
import dev.spanwise.wal.WalReader;
import dev.spanwise.wal.WalRecord;
import dev.spanwise.wal.WriteAheadLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread that moves span batches from the write-ahead log into a {@link
 * SpanStore}: it reads the log from the last checkpoint, decodes each batch, writes it with {@code
 * spanConsumer().accept} (together with the batches of the same tenant already waiting behind it,
 * up to {@value #GROUP_SPANS} spans), calls {@link SpanStore#flush()} at most once per {@code
 * flushInterval} (at once after an idle spell), so spans become searchable within that time and a
 * busy store is not flushed more often, and every {@code checkpointInterval} stores the position
 * the store has committed up to, then deletes the log segments before it. After a restart it
 * replays from the checkpoint; the store's writes are idempotent, so a batch indexed twice is
 * stored once.
 *
 * <p>A batch that cannot be decoded is skipped and counted ({@link #skippedBatches()}). A store
 * that fails with an {@link IOException} is retried with backoff, without losing the batch; one
 * that keeps refusing a write with a runtime exception is given the write's batches one by one,
 * and a batch it refuses three times is given up ({@link #failedBatches()}).
 *
 * <p>Observability for /metrics and /ready: {@link #lagBytes()}, {@link #lagRecords()}, {@link
 * #isRunning()}, {@link #lastError()} and the counters.
 */
public final class Indexer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Indexer.class);
  private static final int RUNTIME_FAILURE_ATTEMPTS = 3;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final WriteAheadLog wal;
  private final SpanStore store;
  private final BiConsumer<String, List<Span>> stored;
  private final Checkpoint checkpoint;
  private final long flushIntervalNanos;
  private final long checkpointIntervalNanos;
  private final Duration pollTimeout;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile boolean running;

  /** Log end when the indexer started: records at or after it are counted by {@link #lagRecords}. */
  private final long startEnd;
  private final long startPosition;
  private volatile long position;
  private volatile long checkpointedPosition;
  private final AtomicLong indexedBatches = new AtomicLong();
  private final AtomicLong indexedSpans = new AtomicLong();
  private final AtomicLong indexedSinceStart = new AtomicLong();
  private final AtomicLong skippedBatches = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicLong storeErrors = new AtomicLong();
  private final AtomicLong readErrors = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private volatile Throwable lastError;

  // Indexer thread only.
  private boolean dirty;
  private long flushedPosition;
  private long lastFlushNanos;
  private long lastCheckpointNanos;

  Indexer(WriteAheadLog wal, SpanStore store, Checkpoint checkpoint, Duration flushInterval,
      Duration checkpointInterval) {
    this(wal, store, checkpoint, flushInterval, checkpointInterval, (tenant, spans) -> { });
  }

  Indexer(WriteAheadLog wal, SpanStore store, Checkpoint checkpoint, Duration flushInterval,
      Duration checkpointInterval, BiConsumer<String, List<Span>> stored) {
    this.stored = stored;
    this.wal = wal;
    this.store = store;
    this.checkpoint = checkpoint;
    this.flushIntervalNanos = flushInterval.toNanos();
    this.checkpointIntervalNanos = checkpointInterval.toNanos();
    this.pollTimeout = flushInterval.compareTo(Duration.ofMillis(200)) < 0
        ? flushInterval : Duration.ofMillis(200);
    this.startEnd = wal.endPosition();
    this.startPosition = startPosition(wal, checkpoint);
    this.position = startPosition;
    this.checkpointedPosition = startPosition;
    this.flushedPosition = startPosition;
    this.thread = new Thread(this::run, "spanwise-indexer-" + wal.directory().getFileName());
    this.thread.setDaemon(true);
  }

  void start() {
    running = true;
    thread.start();
  }

  private static long startPosition(WriteAheadLog wal, Checkpoint checkpoint) {
    OptionalLong stored;
    try {
      stored = checkpoint.read();
    } catch (IOException e) {
      // Replaying everything kept is safe: writes are idempotent.
      logger.warn("Cannot read the indexer checkpoint; replaying the whole log", e);
      return wal.firstPosition();
    }
    if (stored.isEmpty()) {
      return wal.firstPosition();
    }
    long at = stored.getAsLong();
    if (at > wal.endPosition()) {
      logger.warn("Indexer checkpoint " + at + " is past the end of the log ("
          + wal.endPosition() + "), which was replaced; replaying the whole log");
      return wal.firstPosition();
    }
    return Math.max(at, wal.firstPosition());
  }

  /** The position up to which batches have been handed to the store. */
  public long position() {
    return position;
  }

  /** The position last stored in the checkpoint (where a restart resumes). */
  public long checkpointedPosition() {
    return checkpointedPosition;
  }

  /** Where this indexer started reading (the checkpoint found on start). */
  public long startPosition() {
    return startPosition;
  }

  /**
   * Whether everything the log held when this indexer started has been handed to the store: false
   * while a restart replays its backlog (readiness), true from then on.
   */
  public boolean replayed() {
    return position >= startEnd;
  }

  /** Log bytes (frames included) durable but not yet handed to the store. */
  public long lagBytes() {
    return Math.max(0, wal.endPosition() - position);
  }

  /**
   * Records appended since this indexer started and not yet handed to the store. A backlog
   * replayed from before the start is not counted here; see {@link #lagBytes()}.
   */
  public long lagRecords() {
    return Math.max(0, wal.stats().appendedRecords() - indexedSinceStart.get());
  }

  /** Batches written to the store. */
  public long indexedBatches() {
    return indexedBatches.get();
  }

  public long indexedSpans() {
    return indexedSpans.get();
  }

  /** Batches that could not be decoded and were skipped. */
  public long skippedBatches() {
    return skippedBatches.get();
  }

  /** Batches the store kept refusing with a runtime exception, given up on. */
  public long failedBatches() {
    return failedBatches.get();
  }

  /** Failed store writes, flushes and checkpoint writes (each retried). */
  public long storeErrors() {
    return storeErrors.get();
  }

  /** Failed reads of the log (each retried from the same position). */
  public long readErrors() {
    return readErrors.get();
  }

  public long flushes() {
    return flushes.get();
  }

  /** False once stopped, or if the thread died of an unexpected error ({@link #lastError()}). */
  public boolean isRunning() {
    return running;
  }

  /** The last error met (a skipped batch, a store failure...), or null. */
  public Throwable lastError() {
    return lastError;
  }

  /**
   * Stops the thread: the batch in hand is finished or left for replay, the store flushed and the
   * checkpoint written. Waits up to ten seconds.
   */
  @Override
  public void close() {
    stopping = true;
    stop.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long now = System.nanoTime();
    lastFlushNanos = now;
    lastCheckpointNanos = now;
    long backoff = 100;
    try {
      while (!stopping) {
        try (WalReader reader = wal.reader(position)) {
          indexFrom(reader);
        } catch (IOException e) {
          // Reading the log failed (an I/O error on a segment): reopen where we were, after a pause.
          readErrors.incrementAndGet();
          lastError = e;
          logger.warn("Reading the write-ahead log failed at position " + position + "; retrying",
              e);
          if (sleep(backoff)) {
            break;
          }
          backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        } catch (InterruptedException e) {
          break; // only close() should stop us, but an interrupt is honoured the same way
        }
      }
      commit(true);
      writeCheckpoint(true);
    } catch (Throwable t) {
      lastError = t;
      logger.error("Indexer stopped by an unexpected error", t);
    } finally {
      running = false;
    }
  }

  /**
   * Spans gathered into one store write from records already waiting in the log: when the indexer
   * is behind, many small batches (an exporter's 100 spans) reach the store as a few large writes,
   * which cost less per span; a caught-up indexer writes what it has without waiting for more.
   */
  static final int GROUP_SPANS = 1000;

  /** A log record and its batch; a record that cannot be decoded has its error instead. */
  private record Decoded(WalRecord record, SpanBatch batch, RuntimeException error) {
    int spanCount() {
      return batch == null ? 0 : batch.spans().size();
    }
  }

  /** Indexes records from {@code reader} until asked to stop. */
  private void indexFrom(WalReader reader) throws IOException, InterruptedException {
    Decoded carried = null; // read, of another tenant than the group before it
    List<Decoded> group = new ArrayList<>();
    while (!stopping) {
      Decoded first = carried;
      carried = null;
      if (first == null) {
        WalRecord record = reader.next();
        if (record == null) {
          // Caught up: flush if due, else wait for more until it is due.
          position = reader.position();
          commit(false);
          record = reader.next(waitTime());
          if (record == null) {
            position = reader.position();
            continue;
          }
        }
        first = decode(record);
      }
      group.clear();
      group.add(first);
      String tenant = first.batch() == null ? null : first.batch().tenant();
      int spans = first.spanCount();
      while (spans < GROUP_SPANS) {
        WalRecord record = reader.next();
        if (record == null) break;
        Decoded next = decode(record);
        if (next.batch() != null) {
          if (tenant == null) {
            tenant = next.batch().tenant();
          } else if (!tenant.equals(next.batch().tenant())) {
            carried = next;
            break;
          }
        }
        group.add(next);
        spans += next.spanCount();
      }
      if (!index(group)) {
        return; // stopping while the store was failing: the records are left for replay
      }
      position = group.get(group.size() - 1).record().nextPosition();
      commit(false);
    }
  }

  /** How long to wait for more records: until a flush is due, at most the poll timeout. */
  private Duration waitTime() {
    if (!dirty) {
      return pollTimeout;
    }
    long untilFlush = flushIntervalNanos - (System.nanoTime() - lastFlushNanos);
    return Duration.ofNanos(Math.max(1_000_000, Math.min(pollTimeout.toNanos(), untilFlush)));
  }

  private static Decoded decode(WalRecord record) {
    try {
      return new Decoded(record, SpanBatchCodec.decode(record.payload()), null);
    } catch (RuntimeException e) {
      return new Decoded(record, null, e);
    }
  }

  /**
   * Hands a group of records of one tenant to the store in one write; false if asked to stop
   * before the store took it. A group the store keeps refusing with a runtime exception is written
   * again record by record, so only the records the store refuses are given up.
   */
  private boolean index(List<Decoded> group) {
    List<Decoded> batches = new ArrayList<>(group.size());
    for (Decoded d : group) {
      if (d.batch() != null) {
        batches.add(d);
        continue;
      }
      skippedBatches.incrementAndGet();
      lastError = d.error();
      logger.warn("Skipping an undecodable span batch at log position "
          + d.record().position() + ": " + d.error().getMessage());
      countIfNew(d.record());
    }
    if (batches.isEmpty()) return true;
    if (batches.size() == 1) return indexOne(batches.get(0));
    List<Span> spans = new ArrayList<>();
    for (Decoded d : batches) spans.addAll(d.batch().spans());
    Write written = write(batches.get(0).batch().tenant(), spans);
    if (written == Write.STOPPED) return false;
    if (written == Write.REFUSED) {
      for (Decoded d : batches) {
        if (!indexOne(d)) return false;
      }
      return true;
    }
    for (Decoded d : batches) stored(d);
    return true;
  }

  /** Hands one record's batch to the store; false if asked to stop before the store took it. */
  private boolean indexOne(Decoded d) {
    Write written = write(d.batch().tenant(), d.batch().spans());
    if (written == Write.STOPPED) return false;
    if (written == Write.REFUSED) {
      failedBatches.incrementAndGet();
      logger.warn("Store refused the span batch at log position "
          + d.record().position() + " " + RUNTIME_FAILURE_ATTEMPTS + " times; skipping it",
          lastError);
      countIfNew(d.record());
      return true;
    }
    stored(d);
    return true;
  }

  /** What became of a store write. */
  private enum Write { DONE, REFUSED, STOPPED }

  /**
   * Writes spans to the store: an I/O failure is retried with backoff until it succeeds or the
   * indexer stops; a runtime exception {@value #RUNTIME_FAILURE_ATTEMPTS} times gives up.
   */
  private Write write(String tenant, List<Span> spans) {
    int runtimeFailures = 0;
    long backoff = 50;
    while (true) {
      try {
        store.spanConsumer().accept(tenant, spans);
        dirty = true;
        return Write.DONE;
      } catch (IOException | RuntimeException e) {
        storeErrors.incrementAndGet();
        lastError = e;
        if (e instanceof RuntimeException && ++runtimeFailures >= RUNTIME_FAILURE_ATTEMPTS) {
          return Write.REFUSED;
        }
        if (backoff == 50) {
          logger.warn("Store write failed; retrying with backoff", e);
        } else {
          logger.debug("Store write failed again; retrying", e);
        }
      }
      if (sleep(backoff)) {
        return Write.STOPPED;
      }
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
  }

  /** Counts a record the store has taken and tells the observer. */
  private void stored(Decoded d) {
    indexedBatches.incrementAndGet();
    indexedSpans.addAndGet(d.batch().spans().size());
    countIfNew(d.record());
    if (d.record().position() >= startEnd) tellStored(d.batch());
  }

  private void tellStored(SpanBatch batch) {
    try {
      stored.accept(batch.tenant(), batch.spans());
    } catch (RuntimeException e) {
      logger.warn("A stored-batch observer failed", e);
    }
  }

  private void countIfNew(WalRecord record) {
    if (record.position() >= startEnd) {
      indexedSinceStart.incrementAndGet();
    }
  }

  /** Flushes the store if due (or {@code now}), then writes the checkpoint if due. */
  private void commit(boolean now) {
    long t = System.nanoTime();
    if (now || t - lastFlushNanos >= flushIntervalNanos) {
      long upTo = position;
      if (dirty) {
        try {
          store.flush();
          flushes.incrementAndGet();
          dirty = false;
        } catch (IOException | RuntimeException e) {
          storeErrors.incrementAndGet();
          lastError = e;
          logger.warn("Store flush failed; will retry", e);
          return;
        } finally {
          lastFlushNanos = t;
        }
      }
      flushedPosition = upTo;
    }
    writeCheckpoint(false);
  }

  private void writeCheckpoint(boolean force) {
    long t = System.nanoTime();
    if (flushedPosition <= checkpointedPosition
        || (!force && t - lastCheckpointNanos < checkpointIntervalNanos)) {
      return;
    }
    long at = flushedPosition;
    try {
      checkpoint.write(at);
      checkpointedPosition = at;
      lastCheckpointNanos = t;
      wal.deleteSegmentsBefore(at);
    } catch (IOException | RuntimeException e) {
      storeErrors.incrementAndGet();
      lastError = e;
      logger.warn("Cannot write the indexer checkpoint or delete old segments", e);
    }
  }

  /** Sleeps up to {@code millis}; true if asked to stop meanwhile. */
  private boolean sleep(long millis) {
    try {
      return stop.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
