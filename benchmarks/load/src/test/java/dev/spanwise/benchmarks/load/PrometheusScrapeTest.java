package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

  @Test
  void sumsEveryLabelSetOfExactlyThatName() {
    String text = "# HELP spanwise_spans_accepted_total Spans acknowledged\n"
        + "# TYPE spanwise_spans_accepted_total counter\n"
        + "spanwise_spans_accepted_total{protocol=\"otlp_grpc\"} 10.0\n"
        + "spanwise_spans_accepted_total{protocol=\"otlp_http\",note=\"a}b\"} 1.2E3\n"
        + "spanwise_spans_accepted_total_extra 99\n"
        + "spanwise_indexer_lag_bytes 4.4859908E8 1764000000000\n";
    assertThat(PrometheusScrape.sum(text, "spanwise_spans_accepted_total")).isEqualTo(1210.0);
    assertThat(PrometheusScrape.sum(text, "spanwise_indexer_lag_bytes")).isEqualTo(4.4859908E8);
    assertThat(PrometheusScrape.sum(text, "spanwise_missing")).isNaN();
  }
}
