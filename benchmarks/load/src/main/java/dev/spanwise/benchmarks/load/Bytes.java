package dev.spanwise.benchmarks.load;

/** Small byte and hex helpers for ids. */
final class Bytes {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Bytes() {}

  static void putLong(byte[] out, int offset, long v) {
    for (int i = 7; i >= 0; i--) {
      out[offset + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] in, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (in[offset + i] & 0xff);
    return v;
  }

  static byte[] longBytes(long v) {
    byte[] out = new byte[8];
    putLong(out, 0, v);
    return out;
  }

  /** 16 lower-case hex characters. */
  static String hex(long v) {
    char[] c = new char[16];
    for (int i = 15; i >= 0; i--) {
      c[i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return new String(c);
  }

  /** Writes 16 lower-case hex characters as ASCII bytes. */
  static void putHex(byte[] out, int offset, long v) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = (byte) HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  /** Parses 16 ASCII hex characters. */
  static long parseHex(byte[] in, int offset) {
    long v = 0;
    for (int i = 0; i < 16; i++) {
      int d = Character.digit(in[offset + i], 16);
      if (d < 0) throw new NumberFormatException("not hex at " + (offset + i));
      v = (v << 4) | d;
    }
    return v;
  }

  static boolean isLowerHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
  }
}
