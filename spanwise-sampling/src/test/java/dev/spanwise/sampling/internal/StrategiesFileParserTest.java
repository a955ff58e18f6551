package dev.spanwise.sampling.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.sampling.OperationStrategies;
import dev.spanwise.sampling.SamplingStrategy;
import dev.spanwise.sampling.SamplingStrategyType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategiesFileParserTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = StrategiesFileParserTest.class.getResourceAsStream("/" + name)) {
      return in.readAllBytes();
    }
  }

  static FileStrategies parse(String json) {
    return StrategiesFileParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The example of Jaeger's sampling documentation, resolved as Jaeger's static store does. */
  @Test
  void jaegersDocumentedExampleResolvesAsJaegerDoes() throws IOException {
    FileStrategies file = StrategiesFileParser.parse(resource("jaeger-documented-strategies.json"));

    // foo: 0.8, op1 0.2 and op2 0.4, plus the default's /health and /metrics at 0
    SamplingStrategy foo = file.strategyFor("foo");
    assertThat(foo.type()).isEqualTo(SamplingStrategyType.PROBABILISTIC);
    assertThat(foo.samplingRate()).isEqualTo(0.8);
    OperationStrategies fooOps = foo.operationSampling();
    assertThat(fooOps.defaultSamplingProbability()).isEqualTo(0.8);
    assertThat(fooOps.defaultLowerBoundTracesPerSecond()).isZero();
    assertThat(fooOps.probabilities()).containsExactly(
        Map.entry("op1", 0.2), Map.entry("op2", 0.4),
        Map.entry("/health", 0.0), Map.entry("/metrics", 0.0));

    // bar: rate limited at 5 per second; Jaeger merges no operations into a rate limit
    SamplingStrategy bar = file.strategyFor("bar");
    assertThat(bar.type()).isEqualTo(SamplingStrategyType.RATE_LIMITING);
    assertThat(bar.maxTracesPerSecond()).isEqualTo(5);
    assertThat(bar.samplingRate()).isNull();
    assertThat(bar.operationSampling()).isNull();

    // anyone else: the default, 0.5 with /health and /metrics off
    SamplingStrategy other = file.strategyFor("baz");
    assertThat(other.samplingRate()).isEqualTo(0.5);
    assertThat(other.operationSampling().defaultSamplingProbability()).isEqualTo(0.5);
    assertThat(other.operationSampling().probabilities())
        .containsExactly(Map.entry("/health", 0.0), Map.entry("/metrics", 0.0));
    assertThat(file.services()).containsOnlyKeys("foo", "bar");
  }

  @Test
  void probabilisticServiceWithoutOperationsInheritsTheDefaultOperationsWithItsOwnRate() {
    FileStrategies file = parse("{\"service_strategies\":[{\"service\":\"a\","
        + "\"type\":\"probabilistic\",\"param\":0.3}],"
        + "\"default_strategy\":{\"type\":\"probabilistic\",\"param\":0.5,"
        + "\"operation_strategies\":[{\"operation\":\"/health\",\"type\":\"probabilistic\","
        + "\"param\":0}]}}");
    SamplingStrategy a = file.strategyFor("a");
    assertThat(a.samplingRate()).isEqualTo(0.3);
    assertThat(a.operationSampling().defaultSamplingProbability()).isEqualTo(0.3);
    assertThat(a.operationSampling().probabilities()).containsExactly(Map.entry("/health", 0.0));
  }

  @Test
  void serviceOperationsWinOverTheDefaultsOfTheSameName() {
    FileStrategies file = parse("{\"service_strategies\":[{\"service\":\"a\","
        + "\"type\":\"probabilistic\",\"param\":0.3,\"operation_strategies\":["
        + "{\"operation\":\"/health\",\"type\":\"probabilistic\",\"param\":0.9}]}],"
        + "\"default_strategy\":{\"type\":\"probabilistic\",\"param\":0.5,"
        + "\"operation_strategies\":[{\"operation\":\"/health\",\"type\":\"probabilistic\","
        + "\"param\":0},{\"operation\":\"/ready\",\"type\":\"probabilistic\",\"param\":0.1}]}}");
    assertThat(file.strategyFor("a").operationSampling().probabilities())
        .containsExactly(Map.entry("/health", 0.9), Map.entry("/ready", 0.1));
  }

  @Test
  void rateLimitedServiceWithOperationsUsesJaegersDefaultProbability() {
    FileStrategies file = parse("{\"service_strategies\":[{\"service\":\"a\","
        + "\"type\":\"ratelimiting\",\"param\":7,\"operation_strategies\":["
        + "{\"operation\":\"x\",\"type\":\"probabilistic\",\"param\":0.25},"
        + "{\"operation\":\"y\",\"type\":\"ratelimiting\",\"param\":3}]}]}");
    SamplingStrategy a = file.strategyFor("a");
    assertThat(a.maxTracesPerSecond()).isEqualTo(7);
    assertThat(a.operationSampling().defaultSamplingProbability()).isEqualTo(0.001);
    // a rate-limited operation strategy is skipped, as in Jaeger
    assertThat(a.operationSampling().probabilities()).containsExactly(Map.entry("x", 0.25));
  }

  @Test
  void withoutDefaultStrategyTheDefaultIsProbabilistic0001() {
    FileStrategies file = parse("{}");
    assertThat(file.defaultStrategy()).isEqualTo(SamplingStrategy.probabilistic(0.001));
    assertThat(file.strategyFor("anyone")).isEqualTo(SamplingStrategy.probabilistic(0.001));
  }

  @Test
  void invalidFilesAreRefusedWithTheFieldNamed() {
    List<String[]> cases = List.of(
        new String[] {"{", "not valid JSON"},
        new String[] {"[]", "expected a JSON object at the top level"},
        new String[] {"", "empty file"},
        new String[] {"{\"service_strategies\":{}}", "service_strategies: expected an array"},
        new String[] {"{\"service_strategies\":[{\"type\":\"probabilistic\",\"param\":1}]}",
            "service_strategies[0].service: expected a non-empty string"},
        new String[] {"{\"service_strategies\":[{\"service\":\"a\",\"type\":\"probabilistic\","
            + "\"param\":0.1},{\"service\":\"b\",\"type\":\"probabilistic\",\"param\":1.5}]}",
            "service_strategies[1].param: a probabilistic strategy needs a probability in [0, 1]"},
        new String[] {"{\"default_strategy\":{\"type\":\"adaptive\",\"param\":1}}",
            "default_strategy.type: expected \"probabilistic\" or \"ratelimiting\", was "
                + "\"adaptive\""},
        new String[] {"{\"default_strategy\":{\"param\":1}}", "default_strategy.type: expected"},
        new String[] {"{\"default_strategy\":{\"type\":\"ratelimiting\",\"param\":\"5\"}}",
            "default_strategy.param: expected a number"},
        new String[] {"{\"default_strategy\":{\"type\":\"ratelimiting\",\"param\":-1}}",
            "default_strategy.param: a ratelimiting strategy needs traces per second >= 0"},
        new String[] {"{\"default_strategy\":{\"type\":\"probabilistic\",\"param\":1,"
            + "\"operation_strategies\":[{\"type\":\"probabilistic\",\"param\":1}]}}",
            "default_strategy.operation_strategies[0].operation: expected a string"});
    for (String[] c : cases) {
      assertThatThrownBy(() -> parse(c[0]))
          .as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c[1])
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }
}
