package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

  @Test
  void comparesEachRowWithTheBaselineAtTheSameBatch() throws Exception {
    String table = ResultsTable.render(List.of(
        "{\"label\":\"zipkin\",\"protocol\":\"zipkin-json\",\"batch_spans\":100,\"spans_per_s\":50000,"
            + "\"server_cpu_pct\":100,\"server_rss_mib\":400,\"server_peak_rss_mib\":420,"
            + "\"latency_p50_ms\":1.5,\"latency_p99_ms\":9.0,\"refused_requests\":0,\"error_requests\":0}",
        "{\"label\":\"spanwise\",\"protocol\":\"otlp-grpc\",\"batch_spans\":100,\"spans_per_s\":75000,"
            + "\"indexed_spans_per_s\":6000.0,\"indexer_lag_mib\":420.4,"
            + "\"server_cpu_pct\":50,\"server_rss_mib\":300,\"latency_p50_ms\":1.0,"
            + "\"latency_p99_ms\":4.0,\"refused_requests\":2,\"error_requests\":1}",
        "",
        "{\"label\":\"spanwise\",\"protocol\":\"otlp-http\",\"batch_spans\":1000,\"spans_per_s\":90000}"),
        "zipkin");
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(2)).startsWith("| zipkin | zipkin-json | 100 | 50,000 |  | 100 | 50,000 | 400 (420)")
        .endsWith("|  |  |");
    assertThat(lines.get(3)).contains("| 75,000 | 6,000 (420) | 50 | 150,000 | 300 |")
        .contains("| 2 | 1 |").endsWith("| 1.50x | 3.00x |");
    // No Zipkin run at batch 1000, no CPU figures: nothing to compare.
    assertThat(lines.get(4)).contains("| 90,000 |  | n/a |").endsWith("|  |  |");
  }
}
