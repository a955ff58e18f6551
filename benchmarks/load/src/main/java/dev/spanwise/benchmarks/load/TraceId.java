package dev.spanwise.benchmarks.load;

/** A 128-bit trace id as two longs, high half first (big-endian on the wire). */
record TraceId(long high, long low) {

  TraceId {
    if (high == 0 && low == 0) throw new IllegalArgumentException("traceId: must not be all zeros");
  }

  byte[] toBytes() {
    byte[] out = new byte[16];
    Bytes.putLong(out, 0, high);
    Bytes.putLong(out, 8, low);
    return out;
  }

  String toHex() {
    return Bytes.hex(high) + Bytes.hex(low);
  }

  /** This id XOR the given mask: a bijection, so distinct ids stay distinct under one mask. */
  TraceId xor(long maskHigh, long maskLow) {
    long h = high ^ maskHigh;
    long l = low ^ maskLow;
    return h == 0 && l == 0 ? this : new TraceId(h, l);
  }

  static TraceId fromHex(String hex) {
    if (hex == null || hex.length() != 32) {
      throw new IllegalArgumentException("traceId: expected 32 hex characters, got " + hex);
    }
    return new TraceId(Long.parseUnsignedLong(hex.substring(0, 16), 16),
        Long.parseUnsignedLong(hex.substring(16), 16));
  }
}
