package dev.spanwise.analysis.internal;

/** Durations written as Go's {@code time.Duration.String()} does: {@code 1.234ms}, {@code -35ms}. */
public final class GoDurations {
  private static final long MICRO = 1_000L;
  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  /** {@code 0s}, {@code 7ns}, {@code 1.5µs}, {@code -1.234ms}, {@code 2.5s}. */
  public static String format(long nanos) {
    if (nanos == 0) return "0s";
    String sign = nanos < 0 ? "-" : "";
    long abs = nanos == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(nanos);
    if (abs < MICRO) return sign + abs + "ns";
    if (abs < MILLI) return sign + decimal(abs, MICRO, 3) + "µs";
    if (abs < SECOND) return sign + decimal(abs, MILLI, 6) + "ms";
    return sign + decimal(abs, SECOND, 9) + "s";
  }

  private static String decimal(long value, long unit, int digits) {
    long whole = value / unit;
    long fraction = value % unit;
    if (fraction == 0) return Long.toString(whole);
    String f = Long.toString(fraction);
    StringBuilder sb = new StringBuilder(digits + 4).append(whole).append('.');
    for (int i = f.length(); i < digits; i++) sb.append('0');
    sb.append(f);
    int end = sb.length();
    while (sb.charAt(end - 1) == '0') end--;
    return sb.substring(0, end);
  }

  private GoDurations() {}
}
