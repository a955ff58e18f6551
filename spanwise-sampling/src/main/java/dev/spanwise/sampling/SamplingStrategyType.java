package dev.spanwise.sampling;

/**
 * Jaeger's {@code SamplingStrategyType}: which of the strategy fields a response carries. A
 * per-operation response is typed {@link #PROBABILISTIC}, as Jaeger does.
 */
public enum SamplingStrategyType {
  PROBABILISTIC(0),
  RATE_LIMITING(1);

  private final int number;

  SamplingStrategyType(int number) {
    this.number = number;
  }

  /** The enum's number in {@code sampling.proto} and in Jaeger's legacy Thrift JSON. */
  public int number() {
    return number;
  }
}
