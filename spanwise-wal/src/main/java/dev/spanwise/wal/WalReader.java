package dev.spanwise.wal;

import dev.spanwise.wal.internal.CorruptFrameException;
import dev.spanwise.wal.internal.FrameReader;
import dev.spanwise.wal.internal.SegmentFormat;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a log's durable records in order, for one consumer thread (an indexer tailing the log). A
 * reader sees a record only once it is fsynced. A corrupt record ends what the reader takes from
 * its segment: the reader counts it ({@link WalStats#corruptRecords()}) and goes on with the next
 * segment (in the segment still being written, with the records made durable after the damage).
 * Not thread-safe.
 */
public final class WalReader implements Closeable {
  private final WriteAheadLog log;
  private Segment segment;
  private long offset;
  private FileChannel channel;
  private FrameReader frames;
  private boolean closed;

  WalReader(WriteAheadLog log, long fromPosition) {
    this.log = log;
    Map.Entry<Long, Segment> at = log.segments.floorEntry(fromPosition);
    if (at == null) {
      at = log.segments.firstEntry();
    }
    this.segment = at.getValue();
    this.offset = Math.max(SegmentFormat.HEADER_BYTES, fromPosition - segment.base);
  }

  /** The position of the next record this reader returns (once it is written). */
  public long position() {
    return segment.base + offset;
  }

  /** The next durable record, or null if the reader has caught up with the writer. */
  public WalRecord next() throws IOException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    while (true) {
      // Read sealed before durableLength: once sealed is seen, durableLength is final.
      boolean sealed = segment.sealed;
      long end = segment.durableLength;
      if (offset < end) {
        if (channel == null) {
          String problem;
          try {
            problem = openChannel();
          } catch (NoSuchFileException deletedByRetention) {
            if (!moveToNextSegment()) {
              return null;
            }
            continue;
          }
          if (problem != null) {
            log.recordCorruption(segment.path, segment.base, end, problem);
            skipRestOfSegment(sealed, end);
            continue;
          }
        }
        long position = segment.base + offset;
        try {
          byte[] payload = frames.read(offset, end);
          offset += SegmentFormat.frameBytes(payload.length);
          return new WalRecord(position, segment.base + offset, payload);
        } catch (CorruptFrameException | EOFException e) {
          log.recordCorruption(segment.path, position, end - offset, e.getMessage());
          skipRestOfSegment(sealed, end);
          continue;
        }
      }
      if (!sealed || !moveToNextSegment()) {
        return null;
      }
    }
  }

  /**
   * The next durable record, waiting up to {@code timeout} for one to be written; null if none
   * came in time or the log was closed.
   */
  public WalRecord next(Duration timeout) throws IOException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen = log.durableGeneration();
      WalRecord record = next();
      if (record != null) {
        return record;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || log.isClosed()) {
        return null;
      }
      log.awaitDurable(seen, left);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    closeChannel();
  }

  /** Opens the current segment; null if its header is valid, else what is wrong with it. */
  private String openChannel() throws IOException {
    channel = FileChannel.open(segment.path, StandardOpenOption.READ);
    ByteBuffer header = ByteBuffer.allocate(SegmentFormat.HEADER_BYTES);
    String problem;
    try {
      WriteAheadLog.readFully(channel, header, 0);
      problem = SegmentFormat.checkHeader(header.flip(), segment.base);
    } catch (EOFException e) {
      problem = "segment header is incomplete";
    }
    if (problem != null) {
      closeChannel();
      return problem;
    }
    frames = new FrameReader(channel, Integer.MAX_VALUE - SegmentFormat.FRAME_HEADER_BYTES);
    return null;
  }

  private void skipRestOfSegment(boolean sealed, long end) throws IOException {
    if (!sealed || !moveToNextSegment()) {
      // In the segment being written: go on with what is made durable after the damage.
      offset = end;
    }
  }

  private boolean moveToNextSegment() throws IOException {
    Map.Entry<Long, Segment> next = log.segments.higherEntry(segment.base);
    if (next == null) {
      return false;
    }
    closeChannel();
    segment = next.getValue();
    offset = SegmentFormat.HEADER_BYTES;
    return true;
  }

  private void closeChannel() throws IOException {
    frames = null;
    if (channel != null) {
      FileChannel c = channel;
      channel = null;
      c.close();
    }
  }
}
