package dev.spanwise.sampling;

/** Where the strategy served to a service comes from. */
public enum StrategySource {
  /** A {@code service_strategies} entry of the strategies file. */
  FILE,
  /** Per-operation probabilities computed by adaptive sampling from observed traffic. */
  ADAPTIVE,
  /** The file's {@code default_strategy}, or adaptive sampling's default for an unseen service. */
  DEFAULT;

  /** The lower-case name used in our JSON API. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
