package dev.spanwise.wal;

import dev.spanwise.wal.internal.ChannelOpener;
import dev.spanwise.wal.internal.CorruptFrameException;
import dev.spanwise.wal.internal.FrameReader;
import dev.spanwise.wal.internal.SegmentFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A segmented, append-only log of byte records, acknowledged only once fsynced.
 *
 * <h2>Positions</h2>
 * A position is a global byte offset: a segment file is named by its base position, and the byte
 * at file offset {@code o} of that segment is at position {@code base + o} (the 20-byte segment
 * header included). Positions only grow, across segments and across restarts: after recovery cuts
 * a damaged tail, appends continue in a new segment whose base is past the old file's end, so a
 * position is never given to two records.
 *
 * <h2>Group commit</h2>
 * {@link #append} queues the record; one writer thread takes everything queued (up to {@link
 * WalOptions#maxGroupBytes()}), writes it with one positional write, calls {@code
 * FileChannel.force(false)} once, then makes the records visible to readers and completes their
 * futures, in order, on the writer thread (dependent stages should be quick or async).
 *
 * <h2>Failures</h2>
 * An {@link IOException} while writing (disk full, say) fails the futures of the records not yet
 * fsynced with that exception; the file is cut back to its last durable byte, and the next append
 * tries again. Readers never see bytes beyond the durable end. On open, the last segment is scanned
 * and a torn or corrupt tail is truncated and counted ({@link WalStats#corruptRecords()}, {@link
 * WalListener#corruptionDetected}); corruption inside an older segment is found by readers, which
 * skip the rest of that segment, count it and continue with the next one.
 *
 * <p>One process may have a directory open at a time (a {@code wal.lock} file lock).
 */
public final class WriteAheadLog implements Closeable {
  /** Approximate per-append memory besides the record bytes, charged to the pending budget. */
  private static final long PENDING_OVERHEAD_BYTES = 64;
  private static final String LOCK_FILE = "wal.lock";
  private static final PendingAppend STOP = new PendingAppend(new byte[0], null, 0);

  private final Path directory;
  private final WalOptions options;
  private final WalListener listener;
  private final ChannelOpener opener;
  final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private final Thread writer;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private final Object durableMonitor = new Object();
  private long durableGeneration; // guarded by durableMonitor
  private final Object retentionLock = new Object();

  private final AtomicLong appendedRecords = new AtomicLong();
  private final AtomicLong appendedBytes = new AtomicLong();
  private final AtomicLong groupCommits = new AtomicLong();
  private final AtomicLong failedAppends = new AtomicLong();
  private final AtomicLong rejectedAppends = new AtomicLong();
  private final AtomicLong corruptRecords = new AtomicLong();
  private final AtomicLong truncatedBytes = new AtomicLong();

  // Writer thread state (and open/close, which happen-before/after it runs).
  private Segment active;
  private boolean needsRepair;
  private ByteBuffer buffer;

  private WriteAheadLog(Path directory, WalOptions options, FileChannel lockChannel, FileLock lock) {
    this.directory = directory;
    this.options = options;
    this.listener = options.listener();
    this.opener = options.channelOpener();
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.buffer = ByteBuffer.allocateDirect(initialBufferBytes());
    this.writer = new Thread(this::runWriter, "spanwise-wal-writer-" + directory.getFileName());
    this.writer.setDaemon(true);
  }

  /**
   * Opens (creating if needed) the log in {@code directory}, recovering from a crash: a torn or
   * corrupt tail of the last segment is truncated and counted, never thrown.
   *
   * @throws IOException if the directory cannot be created or read, or another process holds it
   */
  public static WriteAheadLog open(Path directory, WalOptions options) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(options, "options");
    Files.createDirectories(directory);
    FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("write-ahead log directory is already open: " + directory);
    }
    WriteAheadLog log = new WriteAheadLog(directory, options, lockChannel, lock);
    try {
      log.recover();
    } catch (IOException | RuntimeException e) {
      log.closeFiles();
      throw e;
    }
    log.writer.start();
    return log;
  }

  public Path directory() {
    return directory;
  }

  public WalOptions options() {
    return options;
  }

  /**
   * Queues {@code record} (which the caller must not modify afterwards) and returns a future that
   * completes with its position once it is fsynced. Never throws but for a null record; the future
   * fails with {@link WalFullException} at once when the pending budget is full, with {@link
   * IllegalArgumentException} if the record is larger than {@link WalOptions#maxRecordBytes()},
   * with {@link IllegalStateException} once the log is closed, and with the {@link IOException}
   * when writing or fsyncing fails.
   */
  public CompletableFuture<Long> append(byte[] record) {
    Objects.requireNonNull(record, "record");
    CompletableFuture<Long> future = new CompletableFuture<>();
    if (closing.get()) {
      future.completeExceptionally(closedException());
      return future;
    }
    if (record.length > options.maxRecordBytes()) {
      future.completeExceptionally(new IllegalArgumentException("record of " + record.length
          + " bytes exceeds maxRecordBytes " + options.maxRecordBytes()));
      return future;
    }
    long cost = record.length + PENDING_OVERHEAD_BYTES;
    long pending = pendingBytes.addAndGet(cost);
    if (pending > options.maxPendingBytes() && pending != cost) {
      pendingBytes.addAndGet(-cost);
      rejectedAppends.incrementAndGet();
      notifyListener(() -> listener.appendRejected(record.length));
      future.completeExceptionally(new WalFullException(pending - cost, options.maxPendingBytes()));
      return future;
    }
    PendingAppend append = new PendingAppend(record, future, cost);
    queue.add(append);
    // close() may have drained the queue between our check and our add: then nobody else will.
    if (closing.get() && queue.remove(append)) {
      pendingBytes.addAndGet(-cost);
      future.completeExceptionally(closedException());
    }
    return future;
  }

  /**
   * A reader of the durable records from {@code fromPosition} on: a position an append completed
   * with, a {@link WalRecord#nextPosition()}, or anything up to {@link #firstPosition()} to read
   * from the oldest record still kept. Positions in a stretch that recovery cut off resume at the
   * next segment.
   *
   * @throws IllegalArgumentException if {@code fromPosition} is past {@link #endPosition()}
   */
  public WalReader reader(long fromPosition) {
    if (closed) {
      throw new IllegalStateException("write-ahead log is closed: " + directory);
    }
    long end = endPosition();
    if (fromPosition > end) {
      throw new IllegalArgumentException(
          "fromPosition " + fromPosition + " is past the end of the log (" + end + ")");
    }
    return new WalReader(this, fromPosition);
  }

  /** The base position of the oldest segment kept; a reader from here reads everything kept. */
  public long firstPosition() {
    return segments.firstKey();
  }

  /** The position after the last durable record (or after the newest segment's header). */
  public long endPosition() {
    Segment last = segments.lastEntry().getValue();
    return last.base + last.durableLength;
  }

  /**
   * Deletes the segments that lie entirely before {@code position} (a consumer's checkpoint), never
   * the segment being written. Returns how many were deleted.
   */
  public int deleteSegmentsBefore(long position) throws IOException {
    int deleted = 0;
    long bytes = 0;
    synchronized (retentionLock) {
      for (Segment segment : segments.values()) {
        Long nextBase = segments.higherKey(segment.base);
        if (nextBase == null || nextBase > position || !segment.sealed) {
          break;
        }
        Files.deleteIfExists(segment.path);
        segments.remove(segment.base);
        deleted++;
        bytes += segment.durableLength;
      }
    }
    if (deleted > 0) {
      fsyncDirectory();
      int count = deleted;
      long total = bytes;
      notifyListener(() -> listener.segmentsDeleted(count, total));
    }
    return deleted;
  }

  public WalStats stats() {
    Map.Entry<Long, Segment> first = segments.firstEntry();
    return new WalStats(appendedRecords.get(), appendedBytes.get(), groupCommits.get(),
        failedAppends.get(), rejectedAppends.get(), corruptRecords.get(), truncatedBytes.get(),
        pendingBytes.get(), segments.size(), first.getKey(), endPosition());
  }

  /** Writes and fsyncs every append queued before this call, then closes. Idempotent. */
  @Override
  public void close() throws IOException {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    queue.add(STOP);
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    closed = true;
    signalDurable();
    try {
      closeFiles();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "WriteAheadLog{" + directory + "}";
  }

  // ---- recovery ---------------------------------------------------------------------------------

  private void recover() throws IOException {
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        OptionalLong base = SegmentFormat.parseFileName(file.getFileName().toString());
        if (base.isPresent()) {
          found.put(base.getAsLong(), file);
        }
      }
    }
    if (found.isEmpty()) {
      startSegment(0);
      return;
    }
    Map.Entry<Long, Path> last = found.lastEntry();
    for (Map.Entry<Long, Path> e : found.headMap(last.getKey()).entrySet()) {
      segments.put(e.getKey(), new Segment(e.getKey(), e.getValue(), Files.size(e.getValue()), true));
    }
    recoverLastSegment(last.getKey(), last.getValue());
  }

  private void recoverLastSegment(long base, Path path) throws IOException {
    FileChannel channel = opener.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    boolean keepChannel = false;
    try {
      long size = channel.size();
      if (size < SegmentFormat.HEADER_BYTES) {
        // Torn while being created: it never held a record. Write its header again.
        if (size > 0) {
          recordCorruption(path, base, size, "segment header is incomplete");
        }
        channel.truncate(0);
        writeHeader(channel, base);
        activate(new Segment(base, path, SegmentFormat.HEADER_BYTES, false), channel);
        keepChannel = true;
        return;
      }
      ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
      readFully(channel, header, 0);
      String problem = SegmentFormat.checkHeader(header.flip(), base);
      if (problem != null) {
        // Nothing in it can be trusted; keep it aside for inspection and start after it.
        recordCorruption(path, base, size, problem);
        channel.close();
        Files.move(path, path.resolveSibling(path.getFileName() + ".corrupt"),
            StandardCopyOption.REPLACE_EXISTING);
        startSegment(base + size);
        return;
      }
      long validEnd = SegmentFormat.HEADER_BYTES;
      String reason = null;
      FrameReader frames = new FrameReader(channel, Integer.MAX_VALUE - SegmentFormat.FRAME_HEADER_BYTES);
      while (true) {
        byte[] payload;
        try {
          payload = frames.read(validEnd, size);
        } catch (CorruptFrameException e) {
          reason = e.getMessage();
          break;
        }
        if (payload == null) {
          break;
        }
        validEnd += SegmentFormat.frameBytes(payload.length);
      }
      if (reason == null) {
        activate(new Segment(base, path, validEnd, false), channel);
        keepChannel = true;
        return;
      }
      recordCorruption(path, base + validEnd, size - validEnd, reason);
      channel.truncate(validEnd);
      channel.force(true);
      channel.close();
      segments.put(base, new Segment(base, path, validEnd, true));
      // Continue past the old end so that no position is reused.
      startSegment(base + size);
    } finally {
      if (!keepChannel && channel.isOpen()) {
        channel.close();
      }
    }
  }

  private void activate(Segment segment, FileChannel channel) {
    segment.channel = channel;
    segments.put(segment.base, segment);
    active = segment;
  }

  private void startSegment(long base) throws IOException {
    Segment segment = createSegment(base);
    segments.put(base, segment);
    active = segment;
  }

  private Segment createSegment(long base) throws IOException {
    Path path = directory.resolve(SegmentFormat.fileName(base));
    FileChannel channel = opener.open(path, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      writeHeader(channel, base);
      fsyncDirectory();
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
        Files.deleteIfExists(path);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    Segment segment = new Segment(base, path, SegmentFormat.HEADER_BYTES, false);
    segment.channel = channel;
    return segment;
  }

  private static void writeHeader(FileChannel channel, long base) throws IOException {
    ByteBuffer header = SegmentFormat.header(base);
    long at = 0;
    while (header.hasRemaining()) {
      at += channel.write(header, at);
    }
    channel.force(true);
  }

  // ---- writer thread ----------------------------------------------------------------------------

  private void runWriter() {
    List<PendingAppend> group = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      PendingAppend first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, so that no queued append is lost
      }
      if (first == STOP) {
        break;
      }
      group.add(first);
      long bytes = first.record.length;
      PendingAppend next;
      while (bytes < options.maxGroupBytes() && (next = queue.poll()) != null) {
        if (next == STOP) {
          stop = true;
          break;
        }
        group.add(next);
        bytes += next.record.length;
      }
      commit(group);
      group.clear();
    }
    IllegalStateException closedException = closedException();
    PendingAppend left;
    while ((left = queue.poll()) != null) {
      if (left != STOP) {
        pendingBytes.addAndGet(-left.cost);
        left.future.completeExceptionally(closedException);
      }
    }
  }

  private void commit(List<PendingAppend> group) {
    int done = 0;
    try {
      if (needsRepair) {
        repair();
      }
      Segment segment = active;
      long chunkOffset = segment.durableLength;
      buffer.clear();
      int chunkStart = 0;
      for (int i = 0; i < group.size(); i++) {
        PendingAppend append = group.get(i);
        long frame = SegmentFormat.frameBytes(append.record.length);
        long end = chunkOffset + buffer.position();
        if (end + frame > options.segmentBytes() && end > SegmentFormat.HEADER_BYTES) {
          flush(segment, chunkOffset, group, chunkStart, i);
          done = i;
          chunkStart = i;
          segment = roll(segment);
          chunkOffset = segment.durableLength;
        }
        ensureRoom(frame);
        append.position = segment.base + chunkOffset + buffer.position();
        SegmentFormat.putFrame(buffer, append.record);
      }
      flush(segment, chunkOffset, group, chunkStart, group.size());
      done = group.size();
    } catch (IOException | RuntimeException e) {
      needsRepair = true;
      int failed = group.size() - done;
      for (int i = done; i < group.size(); i++) {
        PendingAppend append = group.get(i);
        pendingBytes.addAndGet(-append.cost);
        append.future.completeExceptionally(e);
      }
      failedAppends.addAndGet(failed);
      IOException cause = e instanceof IOException ? (IOException) e : new IOException(e);
      notifyListener(() -> listener.writeFailed(failed, cause));
      try {
        repair();
      } catch (IOException | RuntimeException retryLater) {
        // needsRepair stays set: the next group tries again before writing.
      }
    } finally {
      if (buffer.capacity() > 2 * initialBufferBytes()) {
        buffer = ByteBuffer.allocateDirect(initialBufferBytes());
      }
    }
  }

  /** Writes the buffered frames at {@code chunkOffset}, fsyncs, publishes, completes [from, to). */
  private void flush(Segment segment, long chunkOffset, List<PendingAppend> group, int from, int to)
      throws IOException {
    if (from == to) {
      return;
    }
    buffer.flip();
    long at = chunkOffset;
    while (buffer.hasRemaining()) {
      at += segment.channel.write(buffer, at);
    }
    long start = System.nanoTime();
    segment.channel.force(false);
    long fsyncNanos = System.nanoTime() - start;
    buffer.clear();
    long bytes = at - chunkOffset;
    int records = to - from;
    segment.durableLength = at;
    appendedRecords.addAndGet(records);
    appendedBytes.addAndGet(bytes);
    groupCommits.incrementAndGet();
    signalDurable();
    notifyListener(() -> listener.groupCommitted(records, bytes, fsyncNanos));
    for (int i = from; i < to; i++) {
      PendingAppend append = group.get(i);
      pendingBytes.addAndGet(-append.cost);
      append.future.complete(append.position);
    }
  }

  private Segment roll(Segment old) throws IOException {
    long base = old.base + old.durableLength;
    Segment next = createSegment(base);
    // Readers look for the next segment once they see the old one sealed: publish it first.
    segments.put(base, next);
    old.sealed = true;
    active = next;
    try {
      old.channel.close();
    } catch (IOException ignored) {
      // Everything in it is durable already.
    }
    old.channel = null;
    signalDurable();
    notifyListener(() -> listener.segmentRolled(base));
    return next;
  }

  /** Cuts the active segment back to its durable end after a failed write. */
  private void repair() throws IOException {
    Segment segment = active;
    if (segment.channel == null || !segment.channel.isOpen()) {
      segment.channel = opener.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    if (segment.channel.size() > segment.durableLength) {
      segment.channel.truncate(segment.durableLength);
    }
    segment.channel.force(true);
    needsRepair = false;
  }

  private void ensureRoom(long frame) {
    if (buffer.remaining() >= frame) {
      return;
    }
    long wanted = Math.max((long) buffer.capacity() * 2, buffer.position() + frame);
    ByteBuffer bigger = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, wanted));
    buffer.flip();
    bigger.put(buffer);
    buffer = bigger;
  }

  private int initialBufferBytes() {
    return Math.max(64 * 1024, Math.min(options.maxGroupBytes(), 8 * 1024 * 1024));
  }

  // ---- shared with readers ----------------------------------------------------------------------

  boolean isClosed() {
    return closed;
  }

  long durableGeneration() {
    synchronized (durableMonitor) {
      return durableGeneration;
    }
  }

  /** Waits until something is made durable (or a segment rolls) after {@code seen}, or timeout. */
  void awaitDurable(long seen, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (durableMonitor) {
      while (durableGeneration == seen && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.timedWait(durableMonitor, left);
      }
    }
  }

  private void signalDurable() {
    synchronized (durableMonitor) {
      durableGeneration++;
      durableMonitor.notifyAll();
    }
  }

  void recordCorruption(Path segment, long position, long bytes, String reason) {
    corruptRecords.incrementAndGet();
    truncatedBytes.addAndGet(bytes);
    notifyListener(() -> listener.corruptionDetected(segment, position, bytes, reason));
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private IllegalStateException closedException() {
    return new IllegalStateException("write-ahead log is closed: " + directory);
  }

  private void notifyListener(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // A broken metrics hook must not break the log.
    }
  }

  private void fsyncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException ignored) {
      // Not every platform can open or sync a directory; the data files themselves are synced.
    }
  }

  private void closeFiles() throws IOException {
    IOException failure = null;
    for (Segment segment : segments.values()) {
      if (segment.channel != null) {
        try {
          segment.channel.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
        segment.channel = null;
      }
    }
    try {
      lock.release();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    lockChannel.close();
    if (failure != null) {
      throw failure;
    }
  }

  static void readFully(FileChannel channel, ByteBuffer dst, long offset) throws IOException {
    long at = offset;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, at);
      if (n < 0) {
        throw new java.io.EOFException("file ends at " + at);
      }
      at += n;
    }
  }

  private static final class PendingAppend {
    final byte[] record;
    final CompletableFuture<Long> future;
    final long cost;
    long position;

    PendingAppend(byte[] record, CompletableFuture<Long> future, long cost) {
      this.record = record;
      this.future = future;
      this.cost = cost;
    }
  }
}
