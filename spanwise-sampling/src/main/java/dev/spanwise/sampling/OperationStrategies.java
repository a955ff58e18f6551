package dev.spanwise.sampling;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Jaeger's {@code PerOperationSamplingStrategies}: a probability per operation (span name of a
 * trace's root span), a default probability for other operations, and a lower bound of traces per
 * second per operation that clients guarantee whatever the probability. Immutable; build with
 * {@link #builder()}.
 */
public final class OperationStrategies {
  private final double defaultSamplingProbability;
  private final double defaultLowerBoundTracesPerSecond;
  private final double defaultUpperBoundTracesPerSecond;
  private final Map<String, Double> probabilities;

  private OperationStrategies(Builder b) {
    this.defaultSamplingProbability = b.defaultSamplingProbability;
    this.defaultLowerBoundTracesPerSecond = b.defaultLowerBoundTracesPerSecond;
    this.defaultUpperBoundTracesPerSecond = b.defaultUpperBoundTracesPerSecond;
    this.probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(b.probabilities));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder()
        .defaultSamplingProbability(defaultSamplingProbability)
        .defaultLowerBoundTracesPerSecond(defaultLowerBoundTracesPerSecond)
        .defaultUpperBoundTracesPerSecond(defaultUpperBoundTracesPerSecond);
    b.probabilities.putAll(probabilities);
    return b;
  }

  public double defaultSamplingProbability() {
    return defaultSamplingProbability;
  }

  public double defaultLowerBoundTracesPerSecond() {
    return defaultLowerBoundTracesPerSecond;
  }

  /** Carried for completeness; almost no Jaeger client honours it. 0 when unset. */
  public double defaultUpperBoundTracesPerSecond() {
    return defaultUpperBoundTracesPerSecond;
  }

  /** Operation name to sampling probability, in the order they are served. */
  public Map<String, Double> probabilities() {
    return probabilities;
  }

  /** The probability a client applies to {@code operation}. */
  public double probabilityOf(String operation) {
    Double p = probabilities.get(operation);
    return p != null ? p : defaultSamplingProbability;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof OperationStrategies)) return false;
    OperationStrategies that = (OperationStrategies) o;
    return Double.compare(defaultSamplingProbability, that.defaultSamplingProbability) == 0
        && Double.compare(defaultLowerBoundTracesPerSecond, that.defaultLowerBoundTracesPerSecond)
            == 0
        && Double.compare(defaultUpperBoundTracesPerSecond, that.defaultUpperBoundTracesPerSecond)
            == 0
        && probabilities.equals(that.probabilities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaultSamplingProbability, defaultLowerBoundTracesPerSecond,
        defaultUpperBoundTracesPerSecond, probabilities);
  }

  @Override
  public String toString() {
    return "OperationStrategies{default=" + defaultSamplingProbability
        + ", lowerBound=" + defaultLowerBoundTracesPerSecond
        + ", upperBound=" + defaultUpperBoundTracesPerSecond
        + ", operations=" + probabilities + "}";
  }

  public static final class Builder {
    private double defaultSamplingProbability;
    private double defaultLowerBoundTracesPerSecond;
    private double defaultUpperBoundTracesPerSecond;
    private final Map<String, Double> probabilities = new LinkedHashMap<>();

    private Builder() {}

    public Builder defaultSamplingProbability(double probability) {
      this.defaultSamplingProbability =
          Probabilities.check(probability, "defaultSamplingProbability");
      return this;
    }

    public Builder defaultLowerBoundTracesPerSecond(double tracesPerSecond) {
      this.defaultLowerBoundTracesPerSecond =
          Probabilities.checkRate(tracesPerSecond, "defaultLowerBoundTracesPerSecond");
      return this;
    }

    public Builder defaultUpperBoundTracesPerSecond(double tracesPerSecond) {
      this.defaultUpperBoundTracesPerSecond =
          Probabilities.checkRate(tracesPerSecond, "defaultUpperBoundTracesPerSecond");
      return this;
    }

    /** Adds or replaces the probability of {@code operation}; the first put fixes its position. */
    public Builder put(String operation, double probability) {
      Objects.requireNonNull(operation, "operation");
      probabilities.put(operation,
          Probabilities.check(probability, "perOperationStrategies[" + operation + "]"));
      return this;
    }

    /** Adds {@code operation} only if it is not there yet (Jaeger's merge of default operations). */
    public Builder putIfAbsent(String operation, double probability) {
      if (!probabilities.containsKey(operation)) put(operation, probability);
      return this;
    }

    public OperationStrategies build() {
      return new OperationStrategies(this);
    }
  }
}
