package dev.spanwise.sampling;

/** Argument checks shared by the value types: each names the field it checks. */
final class Probabilities {
  private Probabilities() {}

  static double check(double probability, String field) {
    if (!(probability >= 0.0 && probability <= 1.0)) {
      throw new IllegalArgumentException(
          field + " must be a probability in [0, 1], was " + probability);
    }
    return probability;
  }

  static double checkRate(double tracesPerSecond, String field) {
    if (!(tracesPerSecond >= 0.0) || Double.isInfinite(tracesPerSecond)) {
      throw new IllegalArgumentException(
          field + " must be a finite number >= 0, was " + tracesPerSecond);
    }
    return tracesPerSecond;
  }
}
