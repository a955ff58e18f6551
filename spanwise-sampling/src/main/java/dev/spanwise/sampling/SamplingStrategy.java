package dev.spanwise.sampling;

import java.util.Objects;

/**
 * Jaeger's {@code SamplingStrategyResponse}: what a Jaeger client or the OpenTelemetry Jaeger
 * remote sampler applies to a service. Exactly one of a probabilistic or rate-limiting strategy,
 * optionally with per-operation strategies (which clients prefer when present). Immutable.
 */
public final class SamplingStrategy {
  private final SamplingStrategyType type;
  private final Double samplingRate;
  private final Integer maxTracesPerSecond;
  private final OperationStrategies operationSampling;

  private SamplingStrategy(
      SamplingStrategyType type,
      Double samplingRate,
      Integer maxTracesPerSecond,
      OperationStrategies operationSampling) {
    this.type = type;
    this.samplingRate = samplingRate;
    this.maxTracesPerSecond = maxTracesPerSecond;
    this.operationSampling = operationSampling;
  }

  /** {@code probabilisticSampling {samplingRate}}. */
  public static SamplingStrategy probabilistic(double samplingRate) {
    return new SamplingStrategy(SamplingStrategyType.PROBABILISTIC,
        Probabilities.check(samplingRate, "samplingRate"), null, null);
  }

  /** {@code rateLimitingSampling {maxTracesPerSecond}}. */
  public static SamplingStrategy rateLimiting(int maxTracesPerSecond) {
    if (maxTracesPerSecond < 0) {
      throw new IllegalArgumentException(
          "maxTracesPerSecond must be >= 0, was " + maxTracesPerSecond);
    }
    return new SamplingStrategy(SamplingStrategyType.RATE_LIMITING, null, maxTracesPerSecond, null);
  }

  /**
   * Per-operation strategies only, typed {@code PROBABILISTIC} with no {@code
   * probabilisticSampling}, as Jaeger's adaptive sampling answers.
   */
  public static SamplingStrategy perOperation(OperationStrategies operationSampling) {
    return new SamplingStrategy(SamplingStrategyType.PROBABILISTIC, null, null,
        Objects.requireNonNull(operationSampling, "operationSampling"));
  }

  /** This strategy with {@code operationSampling} added (or replaced). */
  public SamplingStrategy withOperationSampling(OperationStrategies operationSampling) {
    return new SamplingStrategy(type, samplingRate, maxTracesPerSecond,
        Objects.requireNonNull(operationSampling, "operationSampling"));
  }

  public SamplingStrategyType type() {
    return type;
  }

  /** {@code probabilisticSampling.samplingRate}, or null when absent. */
  public Double samplingRate() {
    return samplingRate;
  }

  /** {@code rateLimitingSampling.maxTracesPerSecond}, or null when absent. */
  public Integer maxTracesPerSecond() {
    return maxTracesPerSecond;
  }

  /** {@code operationSampling}, or null when absent. */
  public OperationStrategies operationSampling() {
    return operationSampling;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof SamplingStrategy)) return false;
    SamplingStrategy that = (SamplingStrategy) o;
    return type == that.type
        && Objects.equals(samplingRate, that.samplingRate)
        && Objects.equals(maxTracesPerSecond, that.maxTracesPerSecond)
        && Objects.equals(operationSampling, that.operationSampling);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, samplingRate, maxTracesPerSecond, operationSampling);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SamplingStrategy{").append(type);
    if (samplingRate != null) sb.append(", samplingRate=").append(samplingRate);
    if (maxTracesPerSecond != null) sb.append(", maxTracesPerSecond=").append(maxTracesPerSecond);
    if (operationSampling != null) sb.append(", ").append(operationSampling);
    return sb.append('}').toString();
  }
}
