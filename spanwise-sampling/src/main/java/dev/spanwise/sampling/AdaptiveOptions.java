package dev.spanwise.sampling;

import java.time.Duration;
import java.util.Objects;

/**
 * Parameters of adaptive sampling. The defaults follow Jaeger's adaptive sampling processor: a
 * target of 1 sampled trace per second per operation, recomputed every minute, new operations
 * sampled at 0.001, probabilities never below 1e-5, raised by at most 50% per step, and a lower
 * bound of one trace per minute per operation. Immutable; build with {@link #builder()}.
 */
public final class AdaptiveOptions {
  private static final AdaptiveOptions DEFAULTS = builder().build();

  private final double targetTracesPerSecond;
  private final Duration recomputeInterval;
  private final int windowIntervals;
  private final double initialSamplingProbability;
  private final double minSamplingProbability;
  private final double lowerBoundTracesPerSecond;
  private final double percentageIncreaseCap;
  private final double deltaTolerance;
  private final int maxServices;
  private final int maxOperationsPerService;
  private final int maxOperations;

  private AdaptiveOptions(Builder b) {
    this.targetTracesPerSecond = b.targetTracesPerSecond;
    this.recomputeInterval = b.recomputeInterval;
    this.windowIntervals = b.windowIntervals;
    this.initialSamplingProbability = b.initialSamplingProbability;
    this.minSamplingProbability = b.minSamplingProbability;
    this.lowerBoundTracesPerSecond = b.lowerBoundTracesPerSecond;
    this.percentageIncreaseCap = b.percentageIncreaseCap;
    this.deltaTolerance = b.deltaTolerance;
    this.maxServices = b.maxServices;
    this.maxOperationsPerService = b.maxOperationsPerService;
    this.maxOperations = b.maxOperations;
  }

  public static AdaptiveOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sampled traces per second wanted for each operation ({@code --sampling-target-tps}). */
  public double targetTracesPerSecond() {
    return targetTracesPerSecond;
  }

  /** How often probabilities are recomputed. */
  public Duration recomputeInterval() {
    return recomputeInterval;
  }

  /** How many recent intervals the traffic estimate averages over. */
  public int windowIntervals() {
    return windowIntervals;
  }

  /** The probability of an operation or service not seen yet. */
  public double initialSamplingProbability() {
    return initialSamplingProbability;
  }

  /** The floor of every computed probability. */
  public double minSamplingProbability() {
    return minSamplingProbability;
  }

  /** Served as {@code defaultLowerBoundTracesPerSecond}: clients sample at least this rate. */
  public double lowerBoundTracesPerSecond() {
    return lowerBoundTracesPerSecond;
  }

  /** The largest relative increase of a probability in one step (0.5: at most x1.5). */
  public double percentageIncreaseCap() {
    return percentageIncreaseCap;
  }

  /** A probability is left alone while its expected sampled rate is this close to the target. */
  public double deltaTolerance() {
    return deltaTolerance;
  }

  /** Services beyond this many are served the default strategy and counted as dropped. */
  public int maxServices() {
    return maxServices;
  }

  /** Operations beyond this many per service fall to the default and are counted as dropped. */
  public int maxOperationsPerService() {
    return maxOperationsPerService;
  }

  /**
   * Operations tracked over all services (each costs a few hundred bytes); beyond, new ones fall
   * to the default and are counted as dropped.
   */
  public int maxOperations() {
    return maxOperations;
  }

  @Override
  public String toString() {
    return "AdaptiveOptions{target=" + targetTracesPerSecond + "/s, interval=" + recomputeInterval
        + ", window=" + windowIntervals + ", initial=" + initialSamplingProbability
        + ", min=" + minSamplingProbability + ", lowerBound=" + lowerBoundTracesPerSecond
        + "/s, increaseCap=" + percentageIncreaseCap + ", tolerance=" + deltaTolerance
        + ", maxServices=" + maxServices + ", maxOperationsPerService="
        + maxOperationsPerService + ", maxOperations=" + maxOperations + "}";
  }

  public static final class Builder {
    private double targetTracesPerSecond = 1.0;
    private Duration recomputeInterval = Duration.ofMinutes(1);
    private int windowIntervals = 10;
    private double initialSamplingProbability = 0.001;
    private double minSamplingProbability = 1e-5;
    private double lowerBoundTracesPerSecond = 1.0 / 60;
    private double percentageIncreaseCap = 0.5;
    private double deltaTolerance = 0.1;
    private int maxServices = 1000;
    private int maxOperationsPerService = 2000;
    private int maxOperations = 100_000;

    private Builder() {}

    public Builder targetTracesPerSecond(double tracesPerSecond) {
      if (!(tracesPerSecond > 0) || Double.isInfinite(tracesPerSecond)) {
        throw new IllegalArgumentException(
            "targetTracesPerSecond must be a finite number > 0, was " + tracesPerSecond);
      }
      this.targetTracesPerSecond = tracesPerSecond;
      return this;
    }

    public Builder recomputeInterval(Duration interval) {
      Objects.requireNonNull(interval, "recomputeInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("recomputeInterval must be > 0, was " + interval);
      }
      this.recomputeInterval = interval;
      return this;
    }

    public Builder windowIntervals(int intervals) {
      if (intervals < 1) {
        throw new IllegalArgumentException("windowIntervals must be >= 1, was " + intervals);
      }
      this.windowIntervals = intervals;
      return this;
    }

    public Builder initialSamplingProbability(double probability) {
      this.initialSamplingProbability =
          Probabilities.check(probability, "initialSamplingProbability");
      return this;
    }

    public Builder minSamplingProbability(double probability) {
      this.minSamplingProbability = Probabilities.check(probability, "minSamplingProbability");
      return this;
    }

    public Builder lowerBoundTracesPerSecond(double tracesPerSecond) {
      this.lowerBoundTracesPerSecond =
          Probabilities.checkRate(tracesPerSecond, "lowerBoundTracesPerSecond");
      return this;
    }

    public Builder percentageIncreaseCap(double cap) {
      if (!(cap > 0) || Double.isInfinite(cap)) {
        throw new IllegalArgumentException(
            "percentageIncreaseCap must be a finite number > 0, was " + cap);
      }
      this.percentageIncreaseCap = cap;
      return this;
    }

    public Builder deltaTolerance(double tolerance) {
      if (!(tolerance >= 0 && tolerance < 1)) {
        throw new IllegalArgumentException("deltaTolerance must be in [0, 1), was " + tolerance);
      }
      this.deltaTolerance = tolerance;
      return this;
    }

    public Builder maxServices(int maxServices) {
      if (maxServices < 1) {
        throw new IllegalArgumentException("maxServices must be >= 1, was " + maxServices);
      }
      this.maxServices = maxServices;
      return this;
    }

    public Builder maxOperationsPerService(int maxOperations) {
      if (maxOperations < 1) {
        throw new IllegalArgumentException(
            "maxOperationsPerService must be >= 1, was " + maxOperations);
      }
      this.maxOperationsPerService = maxOperations;
      return this;
    }

    public Builder maxOperations(int maxOperations) {
      if (maxOperations < 1) {
        throw new IllegalArgumentException("maxOperations must be >= 1, was " + maxOperations);
      }
      this.maxOperations = maxOperations;
      return this;
    }

    public AdaptiveOptions build() {
      if (minSamplingProbability > initialSamplingProbability) {
        throw new IllegalArgumentException("minSamplingProbability (" + minSamplingProbability
            + ") must not exceed initialSamplingProbability (" + initialSamplingProbability + ")");
      }
      return new AdaptiveOptions(this);
    }
  }
}
