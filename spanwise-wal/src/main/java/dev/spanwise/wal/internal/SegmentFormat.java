package dev.spanwise.wal.internal;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a segment file.
 *
 * <pre>
 * segment header (20 bytes): magic "SWAL" | version (int) | base position (long) | CRC32C of the 16 bytes before
 * record frame:              length (int) | CRC32C of (length bytes, payload) | payload
 * </pre>
 *
 * All integers are big-endian. A segment file is named by its base position, zero-padded to 20
 * digits, with the suffix {@code .wal}. The position of a byte is the segment's base plus the
 * byte's offset in the file, header included.
 */
public final class SegmentFormat {
  public static final int MAGIC = 0x5357414C; // "SWAL"
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 20;
  public static final int FRAME_HEADER_BYTES = 8;
  public static final String SUFFIX = ".wal";

  private SegmentFormat() {}

  public static String fileName(long basePosition) {
    return String.format("%020d%s", basePosition, SUFFIX);
  }

  /** The base position a segment file name stands for, or empty if it is not a segment's name. */
  public static OptionalLong parseFileName(String name) {
    if (name.length() != 20 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < 20; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
    }
    try {
      return OptionalLong.of(Long.parseLong(name.substring(0, 20)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** A header ready to be written (position 0, limit {@link #HEADER_BYTES}). */
  public static ByteBuffer header(long basePosition) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.putInt(MAGIC).putInt(VERSION).putLong(basePosition);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 16);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /** Null if {@code header} (20 bytes) is valid for a segment at {@code basePosition}, else why not. */
  public static String checkHeader(ByteBuffer header, long basePosition) {
    if (header.remaining() < HEADER_BYTES) {
      return "segment header is incomplete";
    }
    int start = header.position();
    if (header.getInt(start) != MAGIC) {
      return "segment header has a bad magic number";
    }
    CRC32C crc = new CRC32C();
    ByteBuffer first16 = header.duplicate();
    first16.limit(start + 16);
    crc.update(first16);
    if (header.getInt(start + 16) != (int) crc.getValue()) {
      return "segment header checksum mismatch";
    }
    int version = header.getInt(start + 4);
    if (version != VERSION) {
      return "unsupported segment version " + version;
    }
    long base = header.getLong(start + 8);
    if (base != basePosition) {
      return "segment header says base position " + base + " but the file name says " + basePosition;
    }
    return null;
  }

  /** Bytes a record of {@code payloadLength} bytes occupies on disk. */
  public static long frameBytes(int payloadLength) {
    return FRAME_HEADER_BYTES + (long) payloadLength;
  }

  /** Appends one frame for {@code payload} to {@code buf}, which must have room for it. */
  public static void putFrame(ByteBuffer buf, byte[] payload) {
    buf.putInt(payload.length);
    buf.putInt(checksum(payload.length, payload, 0, payload.length));
    buf.put(payload);
  }

  /** The frame checksum: CRC32C over the four big-endian length bytes, then the payload. */
  public static int checksum(int length, byte[] payload, int offset, int count) {
    CRC32C crc = new CRC32C();
    crc.update(length >>> 24);
    crc.update(length >>> 16);
    crc.update(length >>> 8);
    crc.update(length);
    crc.update(payload, offset, count);
    return (int) crc.getValue();
  }
}
