package dev.spanwise.codec.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings recently decoded from UTF-8, found again by their bytes. Attribute keys and span, event
 * and scope names repeat span after span; decoding them to the same {@code String} instance saves
 * the allocation, and every map the string meets later (rollups, the index's term caches) finds
 * its hash already computed and compares it by identity first. Values are decoded without it
 * ({@link #decodeUncached}): too many of them (ids, URLs) never repeat, and a miss costs more than
 * a plain decode.
 *
 * <p>Direct-mapped and shared by all threads without locks: each slot holds an immutable entry,
 * a racing write only costs a miss. Strings longer than {@value #MAX_BYTES} bytes are decoded
 * without the cache. Decoding is strict: invalid UTF-8 throws, as protobuf's own string parsing
 * does.
 */
public final class StringCache {
  /** Bytes of the longest string kept. */
  public static final int MAX_BYTES = 96;
  private static final int SLOTS = 8192;

  private static final class Entry {
    final byte[] bytes;
    final String string;

    Entry(byte[] bytes, String string) {
      this.bytes = bytes;
      this.string = string;
    }
  }

  private final Entry[] entries = new Entry[SLOTS];

  /** The cache shared by the decoders of this process. */
  public static final StringCache SHARED = new StringCache();

  /**
   * The string whose UTF-8 is {@code bytes[offset..offset+length)}.
   *
   * @throws InvalidProtocolBufferException when the bytes are not valid UTF-8
   */
  public String decode(byte[] bytes, int offset, int length)
      throws InvalidProtocolBufferException {
    if (length == 0) return "";
    if (length > MAX_BYTES) return decodeUncached(bytes, offset, length);
    int h = 0;
    boolean ascii = true;
    for (int i = offset, end = offset + length; i < end; i++) {
      byte b = bytes[i];
      h = 31 * h + b;
      ascii &= b >= 0;
    }
    int slot = (h ^ (h >>> 13)) & (SLOTS - 1);
    Entry e = entries[slot];
    if (e != null && e.bytes.length == length
        && Arrays.equals(e.bytes, 0, length, bytes, offset, offset + length)) {
      return e.string;
    }
    // only valid UTF-8 is ever cached, so a hit needs no check
    String s = ascii ? new String(bytes, offset, length, StandardCharsets.ISO_8859_1)
        : decodeStrict(bytes, offset, length);
    entries[slot] = new Entry(Arrays.copyOfRange(bytes, offset, offset + length), s);
    return s;
  }

  /**
   * The string of these UTF-8 bytes without the cache (for values that rarely repeat: ids, URLs,
   * statements); invalid UTF-8 throws as protobuf's parser does.
   */
  public static String decodeUncached(byte[] bytes, int offset, int length)
      throws InvalidProtocolBufferException {
    if (length == 0) return "";
    if (!isAscii(bytes, offset, length)) return decodeStrict(bytes, offset, length);
    return new String(bytes, offset, length, StandardCharsets.ISO_8859_1); // ASCII
  }

  /** Checks that these bytes are valid UTF-8, as protobuf's parser would, without decoding. */
  public static void validate(byte[] bytes, int offset, int length)
      throws InvalidProtocolBufferException {
    if (!isAscii(bytes, offset, length)) decodeStrict(bytes, offset, length);
  }

  /** Whether no byte has its high bit set (a loop the JIT can vectorise: no early exit). */
  private static boolean isAscii(byte[] bytes, int offset, int length) {
    int any = 0;
    for (int i = offset, end = offset + length; i < end; i++) any |= bytes[i];
    return any >= 0;
  }

  /** UTF-8 without the cache; invalid input throws as protobuf's parser does. */
  public static String decodeStrict(byte[] bytes, int offset, int length)
      throws InvalidProtocolBufferException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
    }
  }
}
