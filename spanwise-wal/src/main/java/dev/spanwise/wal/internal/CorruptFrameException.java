package dev.spanwise.wal.internal;

/** A frame that fails validation: a torn write, flipped bits, a zeroed or garbage tail. */
public final class CorruptFrameException extends Exception {
  private static final long serialVersionUID = 1L;

  public CorruptFrameException(String reason) {
    super(reason, null, false, false);
  }
}
