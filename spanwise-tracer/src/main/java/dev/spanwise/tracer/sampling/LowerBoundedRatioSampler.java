package dev.spanwise.tracer.sampling;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;

/**
 * One operation's sampler in a Jaeger per-operation strategy: the operation's probability, and
 * at least {@code lowerBound} traces per second whatever the probability says, so that a rare
 * operation is still seen (Jaeger's "guaranteed throughput" sampler). A trace the probability
 * samples also spends a lower-bound credit, so the bound only adds traces when the probability
 * alone falls short of it.
 */
final class LowerBoundedRatioSampler implements Sampler {
  private final TraceIdRatioSampler ratio;
  private final RateLimitingSampler lowerBound; // null without a bound
  private final String description;

  LowerBoundedRatioSampler(double probability, double lowerBoundTracesPerSecond) {
    this.ratio = new TraceIdRatioSampler(probability);
    this.lowerBound = lowerBoundTracesPerSecond > 0
        ? new RateLimitingSampler(lowerBoundTracesPerSecond) : null; // 0: no bound
    this.description = "LowerBoundedRatioSampler{" + probability + ", lowerBound="
        + lowerBoundTracesPerSecond + "/s}";
  }

  double probability() {
    return ratio.ratio();
  }

  double lowerBoundTracesPerSecond() {
    return lowerBound == null ? 0.0 : lowerBound.tracesPerSecond();
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    return decide(ratio.shouldSample(parent, traceIdHigh, traceIdLow, name, kind)
        == SamplingDecision.RECORD_AND_SAMPLE, System.nanoTime());
  }

  /** Visible for tests: the decision at the given monotonic time. */
  SamplingDecision decide(boolean sampledByProbability, long nanoTime) {
    boolean credit = lowerBound != null && lowerBound.trySpend(nanoTime);
    return sampledByProbability || credit
        ? SamplingDecision.RECORD_AND_SAMPLE : SamplingDecision.DROP;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
