package dev.spanwise.server;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses byte sizes written as people write them: {@code 20MiB}, {@code 512k}, {@code 1GB}, {@code 4096}. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

  static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (examples: 4096, 512KiB, 20MiB, 1GiB)");
    }
    long value = Long.parseLong(m.group(1));
    int shift;
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k":
        shift = 10;
        break;
      case "m":
        shift = 20;
        break;
      case "g":
        shift = 30;
        break;
      case "t":
        shift = 40;
        break;
      default:
        shift = 0;
    }
    if (shift > 0 && value > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return value << shift;
  }

  static String format(long bytes) {
    if (bytes % (1L << 30) == 0 && bytes > 0) return (bytes >> 30) + "GiB";
    if (bytes % (1L << 20) == 0 && bytes > 0) return (bytes >> 20) + "MiB";
    if (bytes % (1L << 10) == 0 && bytes > 0) return (bytes >> 10) + "KiB";
    return Long.toString(bytes);
  }

  private Sizes() {}
}
