package dev.spanwise.wal;

/**
 * An append was refused because records waiting to be written already fill the pending-bytes
 * budget ({@link WalOptions#maxPendingBytes()}). Retryable: the caller should back off (a collector
 * answers 503 with {@code Retry-After}). Nothing was written.
 */
public final class WalFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long pendingBytes;
  private final long maxPendingBytes;

  WalFullException(long pendingBytes, long maxPendingBytes) {
    super("write-ahead log is full: " + pendingBytes + " bytes pending, budget " + maxPendingBytes,
        null, false, false);
    this.pendingBytes = pendingBytes;
    this.maxPendingBytes = maxPendingBytes;
  }

  /** Bytes waiting to be written when the append was refused. */
  public long pendingBytes() {
    return pendingBytes;
  }

  public long maxPendingBytes() {
    return maxPendingBytes;
  }
}
