package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLoadTest {

  @Test
  void writesThroughTheDurablePipelineAndRemovesItsData(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Path results = dir.resolve("results.jsonl");
    int code = PipelineLoad.run("--batch-spans", "50", "--concurrency", "4", "--warmup", "0s",
        "--duration", "2s", "--pool-spans", "1000", "--flush-interval", "200ms",
        "--ram-buffer-mb", "16", "--batching", "instances", "--data-dir", data.toString(),
        "--results", results.toString());
    assertThat(code).isZero();

    JsonNode r = new ObjectMapper().readTree(Files.readString(results));
    long acked = r.get("spans_acked").asLong();
    assertThat(acked).isPositive();
    assertThat(acked % 50).isZero();
    assertThat(r.get("batching").asText()).isEqualTo("instances");
    // the indexer keeps up with two seconds of load well enough to index some of it
    assertThat(r.get("indexed_spans_per_s").asDouble()).isPositive();
    assertThat(r.get("cpu_pct").asDouble()).isPositive();
    assertThat(r.get("threads")).isNotEmpty();
    try (Stream<Path> left = Files.list(data)) {
      assertThat(left).as("the temporary log and index are deleted").isEmpty();
    }
  }

  @Test
  void badFlagsGetOneLineNamingTheFlag() {
    List<String> lines = Stderr.linesDuring(() -> {
      assertThat(PipelineLoad.run("--concurrency", "0")).isEqualTo(2);
      assertThat(PipelineLoad.run("--ram-buffer-mb", "0.5")).isEqualTo(2);
      assertThat(PipelineLoad.run("--flush-interval", "soon")).isEqualTo(2);
      assertThat(PipelineLoad.run("--data-dir", "/no/such/dir")).isEqualTo(2);
      assertThat(PipelineLoad.run("--batching", "services")).isEqualTo(2);
    });
    assertThat(lines).hasSize(5).allMatch(l -> l.startsWith("pipeline-load: "));
    assertThat(lines.get(0)).contains("--concurrency");
    assertThat(lines.get(1)).contains("--ram-buffer-mb");
    assertThat(lines.get(2)).contains("--flush-interval").contains("soon");
    assertThat(lines.get(3)).contains("--data-dir");
    assertThat(lines.get(4)).contains("--batching").contains("services");
  }
}
