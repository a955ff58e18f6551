package dev.spanwise.model;

/** Lower-case hexadecimal encoding of ids, without allocation beyond the result. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  static void writeLong(long value, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = DIGITS[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  /** Parses {@code length} hex digits starting at {@code offset}; throws on a non-hex character. */
  static long parseLong(CharSequence hex, int offset, int length) {
    long result = 0;
    for (int i = offset; i < offset + length; i++) {
      int digit = Character.digit(hex.charAt(i), 16);
      if (digit < 0) {
        throw new IllegalArgumentException("not a hex digit '" + hex.charAt(i) + "' in " + hex);
      }
      result = (result << 4) | digit;
    }
    return result;
  }

  private Hex() {}
}
