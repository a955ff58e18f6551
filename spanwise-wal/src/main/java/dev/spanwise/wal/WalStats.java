package dev.spanwise.wal;

/** A snapshot of a log's counters since it was opened, and of its extent. */
public final class WalStats {
  private final long appendedRecords;
  private final long appendedBytes;
  private final long groupCommits;
  private final long failedAppends;
  private final long rejectedAppends;
  private final long corruptRecords;
  private final long truncatedBytes;
  private final long pendingBytes;
  private final int segmentCount;
  private final long firstPosition;
  private final long endPosition;

  WalStats(long appendedRecords, long appendedBytes, long groupCommits, long failedAppends,
      long rejectedAppends, long corruptRecords, long truncatedBytes, long pendingBytes,
      int segmentCount, long firstPosition, long endPosition) {
    this.appendedRecords = appendedRecords;
    this.appendedBytes = appendedBytes;
    this.groupCommits = groupCommits;
    this.failedAppends = failedAppends;
    this.rejectedAppends = rejectedAppends;
    this.corruptRecords = corruptRecords;
    this.truncatedBytes = truncatedBytes;
    this.pendingBytes = pendingBytes;
    this.segmentCount = segmentCount;
    this.firstPosition = firstPosition;
    this.endPosition = endPosition;
  }

  /** Records appended and fsynced. */
  public long appendedRecords() {
    return appendedRecords;
  }

  /** Bytes written by successful appends, frame headers included. */
  public long appendedBytes() {
    return appendedBytes;
  }

  /** Successful fsyncs of a group of records. */
  public long groupCommits() {
    return groupCommits;
  }

  /** Appends failed by an I/O error. */
  public long failedAppends() {
    return failedAppends;
  }

  /** Appends refused with {@link WalFullException}. */
  public long rejectedAppends() {
    return rejectedAppends;
  }

  /**
   * Corrupt or torn records found: by recovery on open (one per damaged tail or segment header) and
   * by readers (one per damaged stretch each reader skips).
   */
  public long corruptRecords() {
    return corruptRecords;
  }

  /** Bytes that recovery truncated or readers skipped because of corruption. */
  public long truncatedBytes() {
    return truncatedBytes;
  }

  /** Bytes accepted by {@code append} and not yet written. */
  public long pendingBytes() {
    return pendingBytes;
  }

  public int segmentCount() {
    return segmentCount;
  }

  /** The base position of the oldest segment still on disk. */
  public long firstPosition() {
    return firstPosition;
  }

  /** The position after the last durable record. */
  public long endPosition() {
    return endPosition;
  }

  @Override
  public String toString() {
    return "WalStats{appendedRecords=" + appendedRecords + ", appendedBytes=" + appendedBytes
        + ", groupCommits=" + groupCommits + ", failedAppends=" + failedAppends
        + ", rejectedAppends=" + rejectedAppends + ", corruptRecords=" + corruptRecords
        + ", truncatedBytes=" + truncatedBytes + ", pendingBytes=" + pendingBytes
        + ", segmentCount=" + segmentCount + ", firstPosition=" + firstPosition
        + ", endPosition=" + endPosition + "}";
  }
}
