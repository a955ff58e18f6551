package dev.spanwise.benchmarks.load;

import java.util.Arrays;

/** Latency samples kept whole and sorted on demand: exact percentiles, fine for 10^6 samples. */
final class Latencies {
  private long[] nanos = new long[1024];
  private int count;

  synchronized void record(long latencyNanos) {
    if (count == nanos.length) nanos = Arrays.copyOf(nanos, count * 2);
    nanos[count++] = latencyNanos;
  }

  synchronized int count() {
    return count;
  }

  /** The given percentile (0 to 100) in milliseconds, nearest rank; NaN when empty. */
  synchronized double percentileMillis(double percentile) {
    if (count == 0) return Double.NaN;
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
  }
}
