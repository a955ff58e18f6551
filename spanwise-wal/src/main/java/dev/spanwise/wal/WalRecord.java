package dev.spanwise.wal;

/** One record read from the log, with where it is. */
public final class WalRecord {
  private final long position;
  private final long nextPosition;
  private final byte[] payload;

  WalRecord(long position, long nextPosition, byte[] payload) {
    this.position = position;
    this.nextPosition = nextPosition;
    this.payload = payload;
  }

  /** The position {@link WriteAheadLog#append} completed with for this record. */
  public long position() {
    return position;
  }

  /**
   * The position just after this record: where a consumer that has processed this record resumes,
   * and so what it stores in its {@link Checkpoint}.
   */
  public long nextPosition() {
    return nextPosition;
  }

  /** The record's bytes. Each record read gets its own array, which the caller may keep or modify. */
  public byte[] payload() {
    return payload;
  }

  @Override
  public String toString() {
    return "WalRecord{position=" + position + ", bytes=" + payload.length + "}";
  }
}
