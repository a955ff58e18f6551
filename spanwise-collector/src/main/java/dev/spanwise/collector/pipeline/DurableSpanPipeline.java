package dev.spanwise.collector.pipeline;

import dev.spanwise.codec.SpanBatchCodec;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.collector.OverloadedException;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.model.Span;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.wal.Checkpoint;
import dev.spanwise.wal.WalFullException;
import dev.spanwise.wal.WalOptions;
import dev.spanwise.wal.WalStats;
import dev.spanwise.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The all-in-one's span pipeline: {@link #write} encodes the batch ({@link SpanBatchCodec}),
 * appends it to a {@link WriteAheadLog} and completes once it is fsynced; an {@link Indexer} thread
 * moves it into the {@link SpanStore} in the background, and replays from its checkpoint after a
 * restart.
 *
 * <p>Refusals are {@link OverloadedException}s: {@code queue_full} when the log's pending budget is
 * full, {@code disk_full} when the disk is out of space (or below {@link
 * Options#minFreeDiskBytes()}), both with {@link Options#retryAfter()}. A batch larger than the
 * log's record limit is split into several records. Any other failure (an I/O error) fails the
 * future as it is: a server error.
 *
 * <pre>{@code
 * DurableSpanPipeline pipeline = DurableSpanPipeline.create(dataDir.resolve("wal"), store,
 *     DurableSpanPipeline.Options.builder().walOptions(walOptions).build());
 * pipeline.write(tenant, spans).thenRun(...);   // ack the client here
 * pipeline.indexer().lagBytes();                 // for /metrics and /ready
 * pipeline.close();                              // stops the indexer, then closes the log
 * }</pre>
 *
 * The store stays the caller's to close, after this pipeline.
 */
public final class DurableSpanPipeline implements SpanPipeline {
  /** The indexer's checkpoint file, kept in the log's directory. */
  public static final String CHECKPOINT_FILE = "indexer.checkpoint";

  private final WriteAheadLog wal;
  private final Indexer indexer;
  private final Options options;
  private final Path walDirectory;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long usableBytes = Long.MAX_VALUE;
  private volatile long usableCheckedNanos;
  private volatile boolean usableChecked;
  private static final long USABLE_SPACE_RECHECK_NANOS = 1_000_000_000L;

  private DurableSpanPipeline(WriteAheadLog wal, Indexer indexer, Options options) {
    this.wal = wal;
    this.indexer = indexer;
    this.options = options;
    this.walDirectory = wal.directory();
  }

  /**
   * Opens (or recovers) the write-ahead log in {@code walDirectory} and starts the indexer from the
   * checkpoint kept there ({@value #CHECKPOINT_FILE}).
   *
   * @throws IOException if the log cannot be opened
   */
  public static DurableSpanPipeline create(Path walDirectory, SpanStore store, Options options)
      throws IOException {
    Objects.requireNonNull(walDirectory, "walDirectory");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(options, "options");
    WriteAheadLog wal = WriteAheadLog.open(walDirectory, options.walOptions());
    Indexer indexer;
    try {
      indexer = new Indexer(wal, store, Checkpoint.at(walDirectory.resolve(CHECKPOINT_FILE)),
          options.flushInterval(), options.checkpointInterval(), options.stored());
    } catch (RuntimeException e) {
      wal.close();
      throw e;
    }
    indexer.start();
    return new DurableSpanPipeline(wal, indexer, options);
  }

  @Override
  public CompletableFuture<Void> write(String tenant, List<Span> spans) {
    try {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(spans, "spans");
      if (spans.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      OverloadedException refused = refusal();
      if (refused != null) {
        return CompletableFuture.failedFuture(refused);
      }
      List<byte[]> records = new ArrayList<>(1);
      encode(tenant, spans, records);
      return append(records);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Logs the received OTLP bytes as they are, behind the batch header (no span is decoded or
   * encoded here); a message larger than a log record may be is decoded and split.
   */
  @Override
  public CompletableFuture<Void> writeOtlp(String tenant, byte[] otlpTracesData, int spanCount) {
    try {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(otlpTracesData, "otlpTracesData");
      if (spanCount == 0) {
        return CompletableFuture.completedFuture(null);
      }
      OverloadedException refused = refusal();
      if (refused != null) {
        return CompletableFuture.failedFuture(refused);
      }
      byte[] received =
          SpanBatchCodec.wrapTracesData(tenant, otlpTracesData, 0, otlpTracesData.length);
      List<byte[]> records = new ArrayList<>(1);
      if (received.length <= wal.options().maxRecordBytes()) {
        records.add(received); // kept as received: no second encoding
      } else {
        encode(tenant, OtlpTraceDecoder.decode(otlpTracesData).spans(), records);
      }
      return append(records);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Void> append(List<byte[]> records) {
    if (records.size() == 1) {
      return wal.append(records.get(0)).handle(this::translate);
    }
    CompletableFuture<?>[] parts = new CompletableFuture<?>[records.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = wal.append(records.get(i));
    }
    return CompletableFuture.allOf(parts).handle(this::translate);
  }

  /**
   * Why a write is refused now: shutting down, the indexer more than {@code maxIndexLagBytes}
   * behind the log (acknowledging faster than the store indexes only grows the backlog and the
   * time until spans are searchable: the indexer's pace is the ingest capacity), or too little
   * free disk. Null otherwise.
   */
  @Override
  public OverloadedException refusal() {
    if (closed.get()) {
      // Shutting down: the client retries, against this process's successor.
      return new OverloadedException("shutting_down", options.retryAfter(),
          "Spanwise is shutting down; retry later");
    }
    long lag = indexer.lagBytes();
    if (lag > options.maxIndexLagBytes()) {
      return new OverloadedException("index_lag", options.retryAfter(), "the indexer is " + lag
          + " bytes behind the write-ahead log (limit " + options.maxIndexLagBytes()
          + "); retry later");
    }
    if (belowFreeSpace(false)) {
      return new OverloadedException("disk_full", options.retryAfter(), "less than "
          + options.minFreeDiskBytes() + " bytes free on the disk of the write-ahead log");
    }
    return null;
  }

  /** The indexer moving batches from the log into the store: lag and counters. */
  public Indexer indexer() {
    return indexer;
  }

  /** The write-ahead log's counters (appends, fsync groups, corruption found...). */
  public WalStats walStats() {
    return wal.stats();
  }

  /** Stops taking writes, stops the indexer (which flushes and checkpoints), closes the log. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    indexer.close();
    try {
      wal.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Encodes the batch into one log record, or several if it is larger than a record may be. */
  private void encode(String tenant, List<Span> spans, List<byte[]> out) {
    byte[] bytes = SpanBatchCodec.encode(tenant, spans);
    if (bytes.length <= wal.options().maxRecordBytes()) {
      out.add(bytes);
      return;
    }
    if (spans.size() == 1) {
      throw new IllegalArgumentException("a span encodes to " + bytes.length
          + " bytes, more than the write-ahead log's record limit of "
          + wal.options().maxRecordBytes());
    }
    int half = spans.size() / 2;
    encode(tenant, spans.subList(0, half), out);
    encode(tenant, spans.subList(half, spans.size()), out);
  }

  private Void translate(Object ignored, Throwable failure) {
    if (failure == null) {
      return null;
    }
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof WalFullException) {
      throw new OverloadedException("queue_full", options.retryAfter(), cause.getMessage());
    }
    if (cause instanceof IOException && isDiskFull((IOException) cause)) {
      throw new OverloadedException("disk_full", options.retryAfter(),
          "disk of the write-ahead log is full: " + cause.getMessage());
    }
    throw failure instanceof CompletionException
        ? (CompletionException) failure : new CompletionException(cause);
  }

  private boolean isDiskFull(IOException e) {
    return saysDiskFull(e)
        || belowFreeSpace(true) || usableBytes < wal.options().maxGroupBytes();
  }

  /** Whether the message is the platform's "out of space" (Linux ENOSPC/EDQUOT, Windows). */
  static boolean saysDiskFull(IOException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return message.contains("no space left") || message.contains("disk quota exceeded")
        || message.contains("not enough space");
  }

  /**
   * True if the log's disk has less free space than {@link Options#minFreeDiskBytes()}. Looks at
   * the disk at most once a second unless {@code now}.
   */
  private boolean belowFreeSpace(boolean now) {
    long t = System.nanoTime();
    if (now || !usableChecked || t - usableCheckedNanos > USABLE_SPACE_RECHECK_NANOS) {
      usableBytes = options.usableSpace(walDirectory);
      usableCheckedNanos = t;
      usableChecked = true;
    }
    return usableBytes < options.minFreeDiskBytes();
  }

  /** How a {@link DurableSpanPipeline} runs. Immutable; build with {@link #builder()}. */
  public static final class Options {
    private final WalOptions walOptions;
    private final Duration flushInterval;
    private final Duration checkpointInterval;
    private final Duration retryAfter;
    private final long minFreeDiskBytes;
    private final long maxIndexLagBytes;
    private final UsableSpace usableSpace;
    private final BiConsumer<String, List<Span>> stored;

    private Options(Builder b) {
      this.stored = b.stored;
      this.maxIndexLagBytes = b.maxIndexLagBytes;
      this.walOptions = b.walOptions;
      this.flushInterval = b.flushInterval;
      this.checkpointInterval = b.checkpointInterval;
      this.retryAfter = b.retryAfter;
      this.minFreeDiskBytes = b.minFreeDiskBytes;
      this.usableSpace = b.usableSpace;
    }

    public static Options defaults() {
      return builder().build();
    }

    public static Builder builder() {
      return new Builder();
    }

    /** The log's options; its listener is where the log's metrics go. */
    public WalOptions walOptions() {
      return walOptions;
    }

    /**
     * The indexer flushes (commits) the store at most once per this interval, default 5 s. A
     * flush of the embedded store is a Lucene commit: new segments and an fsync of each file, so
     * flushing less often makes indexing cheaper (fewer, larger segments, fewer merges) while the
     * log still holds everything since the last flush for replay. Searchability does not wait for
     * it: the embedded store refreshes its readers on its own (every second while it is read).
     */
    public Duration flushInterval() {
      return flushInterval;
    }

    /** The indexer stores its checkpoint at most this often (default 5 s). */
    public Duration checkpointInterval() {
      return checkpointInterval;
    }

    /** What a refusal tells the client to wait (default 3 s). */
    public Duration retryAfter() {
      return retryAfter;
    }

    /** Below this many free bytes on the log's disk, writes are refused (default 64 MiB). */
    public long minFreeDiskBytes() {
      return minFreeDiskBytes;
    }

    /**
     * Above this many log bytes not yet indexed, writes are refused ({@code index_lag}, retryable)
     * so that what is acknowledged stays searchable within seconds (default 128 MiB).
     */
    public long maxIndexLagBytes() {
      return maxIndexLagBytes;
    }

    /**
     * Called by the indexer with each batch it stored (tenant, spans), in log order, on the
     * indexer's thread; batches replayed from before this process started are not passed (they
     * were seen when received). Adaptive sampling learns from it. Default: nothing.
     */
    public BiConsumer<String, List<Span>> stored() {
      return stored;
    }

    long usableSpace(Path directory) {
      return usableSpace.of(directory);
    }

    /** Free bytes on a directory's disk; a test seam. */
    @FunctionalInterface
    interface UsableSpace {
      UsableSpace FILE_STORE = directory -> {
        try {
          return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
          return Long.MAX_VALUE; // unknown: let the write itself tell
        }
      };

      long of(Path directory);
    }

    public static final class Builder {
      private WalOptions walOptions = WalOptions.defaults();
      private Duration flushInterval = Duration.ofSeconds(5);
      private Duration checkpointInterval = Duration.ofSeconds(5);
      private Duration retryAfter = Duration.ofSeconds(3);
      private long minFreeDiskBytes = 64L * 1024 * 1024;
      private long maxIndexLagBytes = 128L * 1024 * 1024;
      private UsableSpace usableSpace = UsableSpace.FILE_STORE;
      private BiConsumer<String, List<Span>> stored = (tenant, spans) -> { };

      private Builder() {}

      /** See {@link Options#stored()}; it must not block, and what it throws is logged. */
      public Builder stored(BiConsumer<String, List<Span>> stored) {
        this.stored = Objects.requireNonNull(stored, "stored");
        return this;
      }

      public Builder walOptions(WalOptions walOptions) {
        this.walOptions = Objects.requireNonNull(walOptions, "walOptions");
        return this;
      }

      public Builder flushInterval(Duration flushInterval) {
        this.flushInterval = positive(flushInterval, "flushInterval");
        return this;
      }

      public Builder checkpointInterval(Duration checkpointInterval) {
        this.checkpointInterval = positive(checkpointInterval, "checkpointInterval");
        return this;
      }

      public Builder retryAfter(Duration retryAfter) {
        this.retryAfter = positive(retryAfter, "retryAfter");
        return this;
      }

      public Builder minFreeDiskBytes(long minFreeDiskBytes) {
        if (minFreeDiskBytes < 0) {
          throw new IllegalArgumentException(
              "minFreeDiskBytes must not be negative: " + minFreeDiskBytes);
        }
        this.minFreeDiskBytes = minFreeDiskBytes;
        return this;
      }

      public Builder maxIndexLagBytes(long maxIndexLagBytes) {
        if (maxIndexLagBytes < 1) {
          throw new IllegalArgumentException(
              "maxIndexLagBytes must be positive: " + maxIndexLagBytes);
        }
        this.maxIndexLagBytes = maxIndexLagBytes;
        return this;
      }

      /** Test seam: how free space on the log's disk is measured. */
      Builder usableSpace(UsableSpace usableSpace) {
        this.usableSpace = Objects.requireNonNull(usableSpace, "usableSpace");
        return this;
      }

      public Options build() {
        return new Options(this);
      }

      private static Duration positive(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
          throw new IllegalArgumentException(field + " must be positive: " + value);
        }
        return value;
      }
    }
  }
}
