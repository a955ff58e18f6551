package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestLoadTest {

  @Test
  void measuresAgainstAServerAndAppendsJson(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results.jsonl");
    try (FakeReceivers receivers = new FakeReceivers()) {
      for (String protocol : List.of("otlp-http", "otlp-grpc", "zipkin-json")) {
        int code = IngestLoad.run("--protocol", protocol, "--target", receivers.target().toString(),
            "--batch-spans", "50", "--concurrency", "2", "--duration", "1s", "--warmup", "0s",
            "--pool-spans", "500", "--label", "fake",
            "--metrics-url", "http://" + receivers.target() + "/metrics", "--server-pid",
            String.valueOf(ProcessHandle.current().pid()), "--results", results.toString());
        assertThat(code).as(protocol).isZero();
      }
      assertThat(receivers.otlpSpans.get()).isPositive();
      assertThat(receivers.grpcSpans.get()).isPositive();
      assertThat(receivers.zipkinRequests.get()).isPositive();
    }
    List<String> lines = Files.readAllLines(results);
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      JsonNode r = new ObjectMapper().readTree(line);
      assertThat(r.get("label").asText()).isEqualTo("fake");
      assertThat(r.get("spans_acked").asLong()).isPositive();
      assertThat(r.get("spans_acked").asLong() % 50).isZero();
      assertThat(r.get("error_requests").asLong()).isZero();
      assertThat(r.get("server_rss_mib").asDouble()).isPositive();
      assertThat(r.get("indexer_lag_mib").asDouble()).isEqualTo(2.0);
      if (!r.get("protocol").asText().equals("zipkin-json")) {
        // The fake "indexes" every OTLP span it takes.
        assertThat(r.get("indexed_spans_per_s").asDouble()).isPositive();
      }
    }
  }

  @Test
  void countsRefusalsWithoutAcknowledging(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("r.jsonl");
    try (FakeReceivers receivers = new FakeReceivers()) {
      receivers.mode = FakeReceivers.Mode.REFUSE;
      int code = IngestLoad.run("--protocol", "zipkin-json", "--target",
          receivers.target().toString(), "--batch-spans", "10", "--concurrency", "2",
          "--duration", "1s", "--warmup", "0s", "--pool-spans", "100", "--max-backoff", "50ms",
          "--results", results.toString());
      assertThat(code).isEqualTo(1);
    }
    JsonNode r = new ObjectMapper().readTree(Files.readString(results));
    assertThat(r.get("spans_acked").asLong()).isZero();
    assertThat(r.get("refused_requests").asLong()).isPositive();
  }

  @Test
  void badFlagsGetOneLineNamingTheFlag() {
    List<String> lines = Stderr.linesDuring(() -> {
      assertThat(IngestLoad.run("--protocol", "thrift", "--target", "127.0.0.1:1")).isEqualTo(2);
      assertThat(IngestLoad.run("--protocol", "otlp-http", "--target", "nohost")).isEqualTo(2);
      assertThat(IngestLoad.run("--protocol", "otlp-http", "--target", "127.0.0.1:1",
          "--duration", "soon")).isEqualTo(2);
      assertThat(IngestLoad.run("--protocol", "otlp-http", "--target", "127.0.0.1:1",
          "--batching", "Traces!")).isEqualTo(2);
    });
    assertThat(lines).hasSize(4).allMatch(l -> l.startsWith("ingest-load: "));
    assertThat(lines.get(0)).contains("--protocol");
    assertThat(lines.get(1)).contains("--target");
    assertThat(lines.get(2)).contains("--duration").contains("soon");
    assertThat(lines.get(3)).contains("--batching").contains("Traces!");
  }
}
