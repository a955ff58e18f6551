package dev.spanwise.sampling.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.sampling.OperationStrategies;
import dev.spanwise.sampling.SamplingStrategy;
import org.junit.jupiter.api.Test;

class StrategyJsonTest {

  /** The bodies Jaeger's own handler test expects from /sampling and /. */
  @Test
  void rateLimitingAsJaegersHandlerRendersIt() {
    SamplingStrategy s = SamplingStrategy.rateLimiting(42);
    assertThat(StrategyJson.render(s))
        .isEqualTo("{\"strategyType\":\"RATE_LIMITING\",\"rateLimitingSampling\":"
            + "{\"maxTracesPerSecond\":42}}");
    assertThat(StrategyJson.renderLegacy(s))
        .isEqualTo("{\"strategyType\":1,\"rateLimitingSampling\":{\"maxTracesPerSecond\":42}}");
  }

  @Test
  void probabilisticEmitsTheZeroEnumAsJaegerDoes() {
    SamplingStrategy s = SamplingStrategy.probabilistic(0.5);
    assertThat(StrategyJson.render(s)).isEqualTo(
        "{\"strategyType\":\"PROBABILISTIC\",\"probabilisticSampling\":{\"samplingRate\":0.5}}");
    assertThat(StrategyJson.renderLegacy(s))
        .isEqualTo("{\"strategyType\":0,\"probabilisticSampling\":{\"samplingRate\":0.5}}");
  }

  @Test
  void perOperationWithDefaultsEmitted() {
    SamplingStrategy s = SamplingStrategy.perOperation(OperationStrategies.builder()
        .defaultSamplingProbability(0.001)
        .defaultLowerBoundTracesPerSecond(1.0 / 60)
        .put("GET /", 1)
        .put("GET /x", 0.00000125)
        .build());
    assertThat(StrategyJson.render(s)).isEqualTo("{\"strategyType\":\"PROBABILISTIC\","
        + "\"operationSampling\":{\"defaultSamplingProbability\":0.001,"
        + "\"defaultLowerBoundTracesPerSecond\":0.016666666666666666,"
        + "\"perOperationStrategies\":["
        + "{\"operation\":\"GET /\",\"probabilisticSampling\":{\"samplingRate\":1}},"
        + "{\"operation\":\"GET /x\",\"probabilisticSampling\":{\"samplingRate\":0.00000125}}],"
        + "\"defaultUpperBoundTracesPerSecond\":0}}");
    assertThat(StrategyJson.renderLegacy(s)).startsWith("{\"strategyType\":0,\"operationSampling\":")
        .doesNotContain("defaultUpperBoundTracesPerSecond");
  }

  @Test
  void numbersAsGoWritesThem() {
    assertThat(StrategyJson.goFloat(0)).isEqualTo("0");
    assertThat(StrategyJson.goFloat(1)).isEqualTo("1");
    assertThat(StrategyJson.goFloat(0.1)).isEqualTo("0.1");
    assertThat(StrategyJson.goFloat(1e-5)).isEqualTo("0.00001");
    assertThat(StrategyJson.goFloat(1e-7)).isEqualTo("1e-07");
    assertThat(StrategyJson.goFloat(2.5e-9)).isEqualTo("2.5e-09");
    assertThat(StrategyJson.goFloat(1e21)).isEqualTo("1e+21");
    assertThat(StrategyJson.goFloat(123456.0)).isEqualTo("123456");
  }

  @Test
  void protoFormCarriesTheSameFields() {
    SamplingStrategy s = SamplingStrategy.probabilistic(0.8).withOperationSampling(
        OperationStrategies.builder().defaultSamplingProbability(0.8).put("op1", 0.2).build());
    var proto = StrategyProto.toProto(s);
    assertThat(proto.getStrategyTypeValue()).isZero();
    assertThat(proto.getProbabilisticSampling().getSamplingRate()).isEqualTo(0.8);
    assertThat(proto.hasRateLimitingSampling()).isFalse();
    assertThat(proto.getOperationSampling().getDefaultSamplingProbability()).isEqualTo(0.8);
    assertThat(proto.getOperationSampling().getPerOperationStrategies(0).getOperation())
        .isEqualTo("op1");
    assertThat(proto.getOperationSampling().getPerOperationStrategies(0)
        .getProbabilisticSampling().getSamplingRate()).isEqualTo(0.2);
    var limited = StrategyProto.toProto(SamplingStrategy.rateLimiting(3));
    assertThat(limited.getStrategyTypeValue()).isEqualTo(1);
    assertThat(limited.getRateLimitingSampling().getMaxTracesPerSecond()).isEqualTo(3);
    assertThat(limited.hasProbabilisticSampling()).isFalse();
  }
}
