package dev.spanwise.model;

/** Helpers for 64-bit span ids, held as a {@code long}; 0 means "none" (no parent). */
public final class SpanId {
  public static final long INVALID = 0L;

  public static boolean isValid(long spanId) {
    return spanId != 0;
  }

  /** 16 lower-case hex characters. */
  public static String toHex(long spanId) {
    char[] out = new char[16];
    Hex.writeLong(spanId, out, 0);
    return new String(out);
  }

  /**
   * Parses 1 to 16 hex digits.
   *
   * @throws IllegalArgumentException naming the problem when the text is not a span id
   */
  public static long fromHex(CharSequence hex) {
    if (hex == null) throw new IllegalArgumentException("span id is null");
    if (hex.length() == 0 || hex.length() > 16) {
      throw new IllegalArgumentException(
          "span id must be 1 to 16 hex characters, was " + hex.length() + ": " + hex);
    }
    return Hex.parseLong(hex, 0, hex.length());
  }

  /** Reads 8 big-endian bytes (OTLP's encoding); an empty array is "no span id". */
  public static long fromBytes(byte[] bytes) {
    if (bytes.length == 0) return INVALID;
    if (bytes.length != 8) {
      throw new IllegalArgumentException("span id must be 8 bytes, was " + bytes.length);
    }
    return TraceId.readLong(bytes, 0);
  }

  public static byte[] toBytes(long spanId) {
    byte[] out = new byte[8];
    TraceId.writeLong(spanId, out, 0);
    return out;
  }

  private SpanId() {}
}
