package dev.spanwise.model;

/**
 * A 128-bit trace id. A 64-bit id from an older client (Zipkin, Jaeger) has {@code high == 0}.
 * The all-zero id is invalid in W3C Trace Context and never produced by Spanwise.
 */
public final class TraceId implements Comparable<TraceId> {
  public static final TraceId INVALID = new TraceId(0, 0);

  private final long high;
  private final long low;

  private TraceId(long high, long low) {
    this.high = high;
    this.low = low;
  }

  public static TraceId of(long high, long low) {
    return high == 0 && low == 0 ? INVALID : new TraceId(high, low);
  }

  /**
   * Parses 1 to 32 hex digits (case-insensitive); shorter ids are left-padded with zeros as Zipkin
   * and Jaeger do for 64-bit ids.
   *
   * @throws IllegalArgumentException naming the problem when the text is not a trace id
   */
  public static TraceId fromHex(CharSequence hex) {
    if (hex == null) throw new IllegalArgumentException("trace id is null");
    int length = hex.length();
    if (length == 0 || length > 32) {
      throw new IllegalArgumentException(
          "trace id must be 1 to 32 hex characters, was " + length + ": " + hex);
    }
    if (length <= 16) return of(0, Hex.parseLong(hex, 0, length));
    int highLength = length - 16;
    return of(Hex.parseLong(hex, 0, highLength), Hex.parseLong(hex, highLength, 16));
  }

  /** Reads 16 big-endian bytes (OTLP's encoding); 8 bytes are accepted as a 64-bit id. */
  public static TraceId fromBytes(byte[] bytes) {
    if (bytes.length == 16) return of(readLong(bytes, 0), readLong(bytes, 8));
    if (bytes.length == 8) return of(0, readLong(bytes, 0));
    throw new IllegalArgumentException("trace id must be 16 bytes, was " + bytes.length);
  }

  static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xffL);
    return v;
  }

  static void writeLong(long v, byte[] b, int off) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  public long high() {
    return high;
  }

  public long low() {
    return low;
  }

  public boolean isValid() {
    return high != 0 || low != 0;
  }

  /** 32 lower-case hex characters. */
  public String toHex() {
    char[] out = new char[32];
    Hex.writeLong(high, out, 0);
    Hex.writeLong(low, out, 16);
    return new String(out);
  }

  /** 16 hex characters when the id is 64-bit, otherwise 32: the shape Zipkin and Jaeger print. */
  public String toShortestHex() {
    if (high != 0) return toHex();
    char[] out = new char[16];
    Hex.writeLong(low, out, 0);
    return new String(out);
  }

  public byte[] toBytes() {
    byte[] out = new byte[16];
    writeLong(high, out, 0);
    writeLong(low, out, 8);
    return out;
  }

  @Override
  public int compareTo(TraceId o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceId && ((TraceId) o).high == high && ((TraceId) o).low == low;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high) * 31 + Long.hashCode(low);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
