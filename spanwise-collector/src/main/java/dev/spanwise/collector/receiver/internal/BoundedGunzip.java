package dev.spanwise.collector.receiver.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Inflates a gzip body in bounded chunks, stopping as soon as the inflated size passes the limit,
 * so that a decompression bomb costs at most the limit in memory, never its inflated size. Each
 * growth of the output is first reserved against the request's {@link Reservation}.
 */
public final class BoundedGunzip {
  private static final int CHUNK = 64 * 1024;

  private BoundedGunzip() {}

  /**
   * @param maxBytes the largest inflated body accepted
   * @param reservation grown to cover the compressed bytes plus the output buffer as it grows
   * @throws RefusedException {@code TOO_LARGE} past {@code maxBytes}, {@code INVALID} for a
   *     malformed gzip stream, {@code OVERLOADED} when the reservation cannot grow
   */
  public static byte[] gunzip(
      byte[] compressed, int maxBytes, Reservation reservation, Duration retryAfter) {
    int capacity = (int) Math.min((long) maxBytes + 1, Math.max(CHUNK, 4L * compressed.length));
    reserve(reservation, compressed.length, capacity, retryAfter);
    byte[] out = new byte[capacity];
    int size = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), CHUNK)) {
      while (true) {
        if (size == out.length) {
          if (out.length > maxBytes) break; // already holds maxBytes + 1: too large
          int grown = (int) Math.min((long) maxBytes + 1, 2L * out.length);
          reserve(reservation, compressed.length, grown, retryAfter);
          out = Arrays.copyOf(out, grown);
        }
        int n = in.read(out, size, out.length - size);
        if (n < 0) break;
        size += n;
      }
    } catch (IOException e) {
      throw new RefusedException(
          RefusedException.Kind.INVALID,
          "Content-Encoding gzip: malformed gzip body (" + e.getMessage() + ")");
    }
    if (size > maxBytes) {
      throw new RefusedException(
          RefusedException.Kind.TOO_LARGE,
          "request body exceeds " + maxBytes + " bytes after decompression");
    }
    byte[] result = size == out.length ? out : Arrays.copyOf(out, size);
    reservation.resize((long) compressed.length + size);
    return result;
  }

  private static void reserve(
      Reservation reservation, int compressedLength, int capacity, Duration retryAfter) {
    if (!reservation.ensure((long) compressedLength + capacity)) {
      throw new RefusedException(
          RefusedException.Kind.OVERLOADED,
          "collector is over its in-flight request budget; retry later",
          retryAfter);
    }
  }
}
