package dev.spanwise.sampling;

import java.util.Objects;

/** The strategy served to a service and where it comes from. Immutable. */
public final class ResolvedStrategy {
  private final String service;
  private final SamplingStrategy strategy;
  private final StrategySource source;

  public ResolvedStrategy(String service, SamplingStrategy strategy, StrategySource source) {
    this.service = Objects.requireNonNull(service, "service");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.source = Objects.requireNonNull(source, "source");
  }

  public String service() {
    return service;
  }

  public SamplingStrategy strategy() {
    return strategy;
  }

  public StrategySource source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof ResolvedStrategy)) return false;
    ResolvedStrategy that = (ResolvedStrategy) o;
    return service.equals(that.service) && strategy.equals(that.strategy) && source == that.source;
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, strategy, source);
  }

  @Override
  public String toString() {
    return "ResolvedStrategy{" + service + ", " + source.jsonName() + ", " + strategy + "}";
  }
}
