package dev.spanwise.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a markdown table of IngestLoad results (one JSON object per line), comparing every
 * Spanwise row with Zipkin's zipkin-json row at the same batch size.
 *
 * <p>Usage: {@code java -cp spanwise-load-benchmarks.jar dev.spanwise.benchmarks.load.ResultsTable
 * results.jsonl [baseline-label]}; the baseline label defaults to {@code zipkin}.
 */
public final class ResultsTable {
  private ResultsTable() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ResultsTable RESULTS.jsonl [BASELINE_LABEL]");
      System.exit(2);
    }
    System.out.print(render(Files.readAllLines(Path.of(args[0])), args.length > 1 ? args[1] : "zipkin"));
  }

  static String render(List<String> jsonLines, String baselineLabel) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : jsonLines) {
      if (!line.isBlank()) rows.add(mapper.readTree(line));
    }
    StringBuilder out = new StringBuilder();
    out.append("| server | protocol | batch | spans/s acked | indexed spans/s (backlog MiB) "
        + "| server CPU % | spans per CPU-second | RSS MiB (peak) | p50 / p99 ms | refused | errors "
        + "| spans/s vs ").append(baselineLabel)
        .append(" | per CPU-second vs ").append(baselineLabel).append(" |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JsonNode r : rows) {
      JsonNode base = baseline(rows, baselineLabel, r.path("batch_spans").asInt());
      boolean isBase = r.path("label").asText().equals(baselineLabel);
      out.append("| ").append(r.path("label").asText("?"))
          .append(" | ").append(r.path("protocol").asText())
          .append(" | ").append(r.path("batch_spans").asInt())
          .append(" | ").append(fmt0(r.path("spans_per_s").asDouble()))
          .append(" | ").append(r.has("indexed_spans_per_s")
              ? fmt0(r.path("indexed_spans_per_s").asDouble(Double.NaN))
                  + " (" + opt(r, "indexer_lag_mib", "%.0f") + ")"
              : "")
          .append(" | ").append(opt(r, "server_cpu_pct", "%.0f"))
          .append(" | ").append(fmt0(perCpuSecond(r)))
          .append(" | ").append(opt(r, "server_rss_mib", "%.0f"))
          .append(r.has("server_peak_rss_mib") ? " (" + opt(r, "server_peak_rss_mib", "%.0f") + ")" : "")
          .append(" | ").append(opt(r, "latency_p50_ms", "%.1f")).append(" / ")
          .append(opt(r, "latency_p99_ms", "%.1f"))
          .append(" | ").append(r.path("refused_requests").asLong())
          .append(" | ").append(r.path("error_requests").asLong())
          .append(" | ").append(isBase || base == null ? "" : ratio(r.path("spans_per_s").asDouble(),
              base.path("spans_per_s").asDouble()))
          .append(" | ").append(isBase || base == null ? "" : ratio(perCpuSecond(r), perCpuSecond(base)))
          .append(" |\n");
    }
    return out.toString();
  }

  private static JsonNode baseline(List<JsonNode> rows, String label, int batch) {
    JsonNode found = null;
    for (JsonNode r : rows) {
      if (r.path("label").asText().equals(label) && r.path("batch_spans").asInt() == batch) {
        found = r; // the last run wins
      }
    }
    return found;
  }

  private static double perCpuSecond(JsonNode r) {
    double cpu = r.path("server_cpu_pct").asDouble(Double.NaN);
    return cpu > 0 ? r.path("spans_per_s").asDouble() / (cpu / 100) : Double.NaN;
  }

  private static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || b == 0) return "n/a";
    return String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static String fmt0(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String opt(JsonNode r, String field, String format) {
    JsonNode v = r.get(field);
    if (v == null || !v.isNumber()) return "n/a";
    return String.format(Locale.ROOT, format, v.asDouble());
  }
}
