package dev.spanwise.sampling.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.sampling.SamplingStrategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStrategyStoreTest {
  @TempDir Path dir;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final SamplingMetrics metrics = new SamplingMetrics(registry);

  static String probabilistic(String service, double p) {
    return "{\"service_strategies\":[{\"service\":\"" + service
        + "\",\"type\":\"probabilistic\",\"param\":" + p + "}]}";
  }

  double reloads(String outcome) {
    var counter = registry.find(SamplingMetrics.FILE_RELOADS).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void reloadsWhenTheContentChanges() throws IOException {
    Path file = Files.writeString(dir.resolve("s.json"), probabilistic("a", 0.2));
    FileStrategyStore store = new FileStrategyStore(file, metrics);
    assertThat(store.strategies().strategyFor("a")).isEqualTo(SamplingStrategy.probabilistic(0.2));

    assertThat(store.reloadIfChanged()).isFalse();
    Files.writeString(file, probabilistic("a", 0.7));
    assertThat(store.reloadIfChanged()).isTrue();
    assertThat(store.strategies().strategyFor("a")).isEqualTo(SamplingStrategy.probabilistic(0.7));
    assertThat(reloads("success")).isEqualTo(1);
  }

  @Test
  void aBadReloadKeepsThePreviousStrategiesAndCountsOnce() throws IOException {
    Path file = Files.writeString(dir.resolve("s.json"), probabilistic("a", 0.2));
    FileStrategyStore store = new FileStrategyStore(file, metrics);

    Files.writeString(file, probabilistic("a", 2));
    assertThat(store.reloadIfChanged()).isFalse();
    assertThat(store.reloadIfChanged()).isFalse();
    assertThat(store.strategies().strategyFor("a")).isEqualTo(SamplingStrategy.probabilistic(0.2));
    assertThat(store.lastFailure()).contains("service_strategies[0].param");
    assertThat(reloads("failure")).isEqualTo(1);

    Files.delete(file);
    assertThat(store.reloadIfChanged()).isFalse();
    assertThat(store.strategies().strategyFor("a")).isEqualTo(SamplingStrategy.probabilistic(0.2));
    assertThat(reloads("failure")).isEqualTo(2);

    Files.writeString(file, probabilistic("a", 0.9));
    assertThat(store.reloadIfChanged()).isTrue();
    assertThat(store.lastFailure()).isNull();
    assertThat(store.strategies().strategyFor("a")).isEqualTo(SamplingStrategy.probabilistic(0.9));
  }

  @Test
  void aBadFileAtStartIsAOneLineErrorNamingFileAndField() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.json"), probabilistic("a", -0.5));
    assertThatThrownBy(() -> new FileStrategyStore(file, metrics))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sampling strategies file " + file + ": service_strategies[0].param")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> new FileStrategyStore(dir.resolve("missing.json"), metrics))
        .hasMessage("sampling strategies file " + dir.resolve("missing.json") + " does not exist");
  }
}
