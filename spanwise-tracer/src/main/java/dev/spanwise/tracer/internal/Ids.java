package dev.spanwise.tracer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import java.util.concurrent.ThreadLocalRandom;

/** Random W3C-valid ids and lower-case hex codecs that do not allocate when parsing. */
public final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Ids() {}

  /** A random non-zero 64-bit id. */
  public static long randomNonZero() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0L);
    return id;
  }

  /** A random 64-bit value (may be zero; use for the high half of a trace id). */
  public static long randomLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  /** Appends {@code value} as 16 lower-case hex digits. */
  public static void writeHex(long value, char[] dest, int offset) {
    for (int i = 15; i >= 0; i--) {
      dest[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  // two hex digits per byte value: BYTE_TO_HEX[2 * b], BYTE_TO_HEX[2 * b + 1]
  private static final byte[] BYTE_TO_HEX = new byte[512];

  static {
    for (int b = 0; b < 256; b++) {
      BYTE_TO_HEX[2 * b] = HEX_BYTES[b >> 4];
      BYTE_TO_HEX[2 * b + 1] = HEX_BYTES[b & 0xF];
    }
  }

  /** Writes {@code value} as 16 lower-case hex ASCII bytes. */
  public static void writeHex(long value, byte[] dest, int offset) {
    for (int i = 14; i >= 0; i -= 2) {
      int b = (int) (value & 0xFF) << 1;
      dest[offset + i] = BYTE_TO_HEX[b];
      dest[offset + i + 1] = BYTE_TO_HEX[b + 1];
      value >>>= 8;
    }
  }

  /** Writes {@code value} as 2 lower-case hex ASCII bytes. */
  public static void writeHexByte(int value, byte[] dest, int offset) {
    dest[offset] = HEX_BYTES[(value >> 4) & 0xF];
    dest[offset + 1] = HEX_BYTES[value & 0xF];
  }

  public static String toHex(long value) {
    char[] chars = new char[16];
    writeHex(value, chars, 0);
    return new String(chars);
  }

  public static String toHex(long high, long low) {
    char[] chars = new char[32];
    writeHex(high, chars, 0);
    writeHex(low, chars, 16);
    return new String(chars);
  }

  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final long LOW_NIBBLES = 0x0f0f0f0f0f0f0f0fL;
  private static final long LOW_BITS = 0x0101010101010101L;

  /**
   * The value of the 8 lower-case hex digits at {@code bytes[offset..offset+8)}, first digit most
   * significant, or -1 when any of them is not one of {@code 0-9a-f}.
   */
  public static long parseLowerHex8(byte[] bytes, int offset) {
    long word = word(bytes, offset);
    return lowerHexMismatch(word) == 0 ? lowerHexValue(word) : -1;
  }

  /**
   * The eight bytes at {@code bytes[offset..offset+8)} as one word, the first in the highest byte:
   * the input of {@link #lowerHexMismatch} and {@link #lowerHexValue}, which work on all eight
   * digits at once without a branch or a table per character.
   */
  public static long word(byte[] bytes, int offset) {
    return (long) BIG_ENDIAN_LONGS.get(bytes, offset);
  }

  /**
   * The hex value each byte of {@code word} would have as a lower-case digit, one per byte: the low
   * nibble, plus 9 for a byte with bit 6 set ({@code a} is 0x61); right for every valid digit.
   */
  private static long nibbles(long word) {
    return ((word & LOW_NIBBLES) + ((word >>> 6) & LOW_BITS) * 9) & LOW_NIBBLES;
  }

  /**
   * Zero exactly when all eight bytes of {@code word} are lower-case hex digits: each byte's
   * {@link #nibbles value} is written back as a digit ({@code 0x30 + n}, or {@code 0x57 + n} above
   * 9), which gives the byte itself only when it was that digit. Callers parsing several words OR
   * the results and test once.
   */
  public static long lowerHexMismatch(long word) {
    long n = nibbles(word);
    long above9 = ((n + 0x7676767676767676L) >>> 7) & LOW_BITS; // n + 0x76 reaches 0x80 past 9
    return (n + 0x3030303030303030L + above9 * 0x27) ^ word;
  }

  /** The value of the eight digits of {@code word}, first most significant, when they are valid. */
  public static long lowerHexValue(long word) {
    long v = nibbles(word);
    v = ((v >>> 4) | v) & 0x00ff00ff00ff00ffL;
    v = ((v >>> 8) | v) & 0x0000ffff0000ffffL;
    return ((v >>> 16) | v) & 0xffffffffL;
  }

  public static int lowerHexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /** Value of a hex digit of either case, or -1. */
  public static int anyHexValue(char c) {
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return lowerHexValue(c);
  }

  /** True if {@code s[from, from+len)} is all lower-case hex. */
  public static boolean isLowerHex(CharSequence s, int from, int len) {
    for (int i = from; i < from + len; i++) {
      if (lowerHexValue(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses up to 16 hex digits of {@code s[from, from+len)} (lower case only unless
   * {@code anyCase}); the caller has validated the characters.
   */
  public static long parseHex(CharSequence s, int from, int len) {
    long result = 0;
    for (int i = from; i < from + len; i++) {
      result = (result << 4) | anyHexValue(s.charAt(i));
    }
    return result;
  }
}
