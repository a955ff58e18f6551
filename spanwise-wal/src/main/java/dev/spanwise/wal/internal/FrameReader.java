package dev.spanwise.wal.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads and validates record frames from one segment file through a read-ahead window. Never reads
 * past the limit the caller gives, so a reader sees only bytes the writer has made durable.
 */
public final class FrameReader {
  private static final int WINDOW_BYTES = 64 * 1024;

  private final FileChannel channel;
  private final int maxRecordBytes;
  private ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
  /** File offset of {@code window}'s index 0; the window holds [windowStart, windowStart + limit). */
  private long windowStart;

  public FrameReader(FileChannel channel, int maxRecordBytes) {
    this.channel = channel;
    this.maxRecordBytes = maxRecordBytes;
    window.limit(0);
  }

  /**
   * Returns the payload of the frame at {@code offset}, or null if {@code offset == limit}.
   *
   * @throws CorruptFrameException if the bytes in [offset, limit) do not start with a valid frame
   */
  public byte[] read(long offset, long limit) throws IOException, CorruptFrameException {
    if (offset >= limit) {
      return null;
    }
    if (limit - offset < SegmentFormat.FRAME_HEADER_BYTES) {
      throw new CorruptFrameException("partial frame header (" + (limit - offset) + " bytes)");
    }
    fill(offset, SegmentFormat.FRAME_HEADER_BYTES, limit);
    int at = (int) (offset - windowStart);
    int length = window.getInt(at);
    int crc = window.getInt(at + 4);
    if (length < 0 || length > maxRecordBytes) {
      throw new CorruptFrameException("bad record length " + length);
    }
    long frameEnd = offset + SegmentFormat.frameBytes(length);
    if (frameEnd > limit) {
      throw new CorruptFrameException(
          "partial record: " + length + " bytes announced, " + (limit - offset - 8) + " present");
    }
    byte[] payload = new byte[length];
    long payloadOffset = offset + SegmentFormat.FRAME_HEADER_BYTES;
    if (length <= WINDOW_BYTES) {
      fill(payloadOffset, length, limit);
      window.get((int) (payloadOffset - windowStart), payload);
    } else {
      readFully(ByteBuffer.wrap(payload), payloadOffset);
    }
    if (SegmentFormat.checksum(length, payload, 0, length) != crc) {
      throw new CorruptFrameException("checksum mismatch");
    }
    return payload;
  }

  /** Makes [offset, offset + count) available in the window, reading at most up to {@code limit}. */
  private void fill(long offset, int count, long limit) throws IOException {
    if (offset >= windowStart && offset + count <= windowStart + window.limit()) {
      return;
    }
    int toRead = (int) Math.min(WINDOW_BYTES, limit - offset);
    window.clear();
    window.limit(toRead);
    windowStart = offset;
    readFully(window, offset);
    window.clear();
    window.limit(toRead);
  }

  private void readFully(ByteBuffer dst, long offset) throws IOException {
    long at = offset;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, at);
      if (n < 0) {
        throw new EOFException("segment ends at " + at + " before the durable limit");
      }
      at += n;
    }
  }
}
