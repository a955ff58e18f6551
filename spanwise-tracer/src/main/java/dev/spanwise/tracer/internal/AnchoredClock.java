package dev.spanwise.tracer.internal;

import java.time.Instant;

/**
 * Wall-clock nanoseconds derived from a monotonic clock. The anchor (a wall-clock reading paired
 * with {@link System#nanoTime()}) is renewed every second so the wall clock's adjustments are
 * followed, while durations within a span stay monotonic.
 */
public final class AnchoredClock {
  private static final long REANCHOR_NANOS = 1_000_000_000L;

  private static final class Anchor {
    final long epochNanos;
    final long nanoTime;

    Anchor() {
      Instant now = Instant.now();
      this.nanoTime = System.nanoTime();
      this.epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
  }

  private volatile Anchor anchor = new Anchor();

  /** Nanoseconds since the epoch for the monotonic reading {@code nanoTime}. */
  public long epochNanos(long nanoTime) {
    Anchor a = anchor;
    if (nanoTime - a.nanoTime > REANCHOR_NANOS) {
      a = reanchor();
    }
    return a.epochNanos + (nanoTime - a.nanoTime);
  }

  // once a second at most: out of line, so that callers compile small enough to be inlined
  private Anchor reanchor() {
    Anchor a = new Anchor();
    anchor = a;
    return a;
  }

  public long nowEpochNanos() {
    return epochNanos(System.nanoTime());
  }
}
