package dev.spanwise.benchmarks.load;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;

/** Reads one metric from a Prometheus text exposition (summing over all label sets). */
final class PrometheusScrape {
  private PrometheusScrape() {}

  /** The summed value of {@code name}, or NaN if the endpoint fails or lacks the metric. */
  static double read(WebClient client, String path, String name) {
    try {
      AggregatedHttpResponse r = client.get(path).aggregate().join();
      if (r.status().code() != 200) return Double.NaN;
      return sum(r.contentUtf8(), name);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  static double sum(String exposition, String name) {
    double sum = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(name)) continue;
      if (line.length() == name.length()) continue;
      char next = line.charAt(name.length());
      String rest;
      if (next == ' ') {
        rest = line.substring(name.length() + 1);
      } else if (next == '{') {
        int close = line.lastIndexOf('}');
        if (close < 0) continue;
        rest = line.substring(close + 1);
      } else {
        continue; // a longer name with this prefix
      }
      String[] tokens = rest.trim().split("\\s+");
      try {
        sum += Double.parseDouble(tokens[0]);
        found = true;
      } catch (NumberFormatException ignored) {
        // not a sample line
      }
    }
    return found ? sum : Double.NaN;
  }
}
