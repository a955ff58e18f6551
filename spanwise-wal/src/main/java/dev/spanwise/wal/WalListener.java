package dev.spanwise.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Metrics hooks, so that the server can wire the log into Micrometer without this module depending
 * on it. Called on the log's writer thread or a reader's thread: implementations must be quick and
 * must not block. Exceptions thrown by a listener are ignored.
 */
public interface WalListener {
  WalListener NOOP = new WalListener() {};

  /**
   * A group of records was written and fsynced.
   *
   * @param records records in the group
   * @param bytes bytes written, frame headers included
   * @param fsyncNanos how long {@code FileChannel.force} took
   */
  default void groupCommitted(int records, long bytes, long fsyncNanos) {}

  /** Writing or fsyncing a group failed; its {@code records} appends failed with {@code cause}. */
  default void writeFailed(int records, IOException cause) {}

  /** An append was refused because the pending-bytes budget was full. */
  default void appendRejected(int recordBytes) {}

  /**
   * A corrupt or torn record was found and skipped or truncated.
   *
   * @param segment the segment file
   * @param position the position where the bad bytes start
   * @param bytesDropped bytes that were truncated or skipped from there
   * @param reason what was wrong (checksum mismatch, partial record, bad length, bad header...)
   */
  default void corruptionDetected(Path segment, long position, long bytesDropped, String reason) {}

  /** A new segment starting at {@code basePosition} was created. */
  default void segmentRolled(long basePosition) {}

  /** Retention deleted {@code segments} whole segments holding {@code bytes} bytes. */
  default void segmentsDeleted(int segments, long bytes) {}
}
