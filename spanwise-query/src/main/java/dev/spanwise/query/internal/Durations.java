package dev.spanwise.query.internal;

import java.math.BigDecimal;

/** Parses durations as the query APIs write them. */
public final class Durations {
  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  /**
   * Parses a Go-style duration such as {@code 1.2s}, {@code 100ms}, {@code 50us}, {@code 1h30m}
   * (units {@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}, and
   * {@code d} for a day), or {@code 0}, into nanoseconds.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static long parse(String text) {
    if (text == null || text.isEmpty()) throw new IllegalArgumentException("is empty");
    String s = text.trim();
    if (s.startsWith("-")) throw new IllegalArgumentException("must not be negative: " + text);
    if (s.startsWith("+")) s = s.substring(1);
    if (s.equals("0")) return 0;
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    if (s.isEmpty()) throw new IllegalArgumentException("is not a duration: " + text);
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
      if (i == numberStart) throw new IllegalArgumentException(expected(text));
      BigDecimal number;
      try {
        number = new BigDecimal(s.substring(numberStart, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(expected(text));
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
      long unitNanos = unitNanos(s.substring(unitStart, i), text);
      total = total.add(number.multiply(BigDecimal.valueOf(unitNanos)));
      if (total.compareTo(MAX) > 0) throw new IllegalArgumentException("is too large: " + text);
    }
    return total.longValue();
  }

  private static long unitNanos(String unit, String text) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "\u00b5s": // micro sign
      case "\u03bcs": // Greek mu
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      case "d":
        return 86_400_000_000_000L;
      default:
        throw new IllegalArgumentException(unit.isEmpty()
            ? "needs a unit (ns, us, ms, s, m, h, d): " + text
            : "has an unknown unit '" + unit + "' (use ns, us, ms, s, m, h, d): " + text);
    }
  }

  private static String expected(String text) {
    return "is not a duration such as 1.5s, 100ms or 50us: " + text;
  }

  private Durations() {}
}
