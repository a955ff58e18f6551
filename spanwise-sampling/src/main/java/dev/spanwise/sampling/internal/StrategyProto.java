package dev.spanwise.sampling.internal;

import dev.spanwise.codec.jaeger.proto.Sampling;
import dev.spanwise.sampling.OperationStrategies;
import dev.spanwise.sampling.SamplingStrategy;
import java.util.Map;

/** A strategy as {@code jaeger.api_v2.SamplingStrategyResponse}. */
public final class StrategyProto {
  private StrategyProto() {}

  public static Sampling.SamplingStrategyResponse toProto(SamplingStrategy strategy) {
    Sampling.SamplingStrategyResponse.Builder b = Sampling.SamplingStrategyResponse.newBuilder()
        .setStrategyTypeValue(strategy.type().number());
    if (strategy.samplingRate() != null) {
      b.setProbabilisticSampling(probabilistic(strategy.samplingRate()));
    }
    if (strategy.maxTracesPerSecond() != null) {
      b.setRateLimitingSampling(Sampling.RateLimitingSamplingStrategy.newBuilder()
          .setMaxTracesPerSecond(strategy.maxTracesPerSecond()));
    }
    OperationStrategies ops = strategy.operationSampling();
    if (ops != null) {
      Sampling.PerOperationSamplingStrategies.Builder o =
          Sampling.PerOperationSamplingStrategies.newBuilder()
              .setDefaultSamplingProbability(ops.defaultSamplingProbability())
              .setDefaultLowerBoundTracesPerSecond(ops.defaultLowerBoundTracesPerSecond())
              .setDefaultUpperBoundTracesPerSecond(ops.defaultUpperBoundTracesPerSecond());
      for (Map.Entry<String, Double> op : ops.probabilities().entrySet()) {
        o.addPerOperationStrategies(Sampling.OperationSamplingStrategy.newBuilder()
            .setOperation(op.getKey())
            .setProbabilisticSampling(probabilistic(op.getValue())));
      }
      b.setOperationSampling(o);
    }
    return b.build();
  }

  private static Sampling.ProbabilisticSamplingStrategy probabilistic(double rate) {
    return Sampling.ProbabilisticSamplingStrategy.newBuilder().setSamplingRate(rate).build();
  }
}
