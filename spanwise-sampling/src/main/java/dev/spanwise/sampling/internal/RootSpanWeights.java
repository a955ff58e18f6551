package dev.spanwise.sampling.internal;

import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Span;

/**
 * How many started traces one stored root span stands for: {@code 1/p} when it was sampled with a
 * known probability {@code p} (the Horvitz-Thompson weight), 1 when it was sampled by a rate
 * limiter or a constant sampler.
 *
 * <p>The probability is read from what the tracer recorded on the root span: Jaeger clients'
 * {@code sampler.type} / {@code sampler.param} tags, a {@code sampling.probability} attribute, or
 * the OpenTelemetry threshold {@code th} in the {@code ot} entry of the trace state. Without any
 * of them, the probability currently served for the operation is assumed.
 */
public final class RootSpanWeights {
  public static final String SAMPLER_TYPE = "sampler.type";
  public static final String SAMPLER_PARAM = "sampler.param";
  public static final String SAMPLING_PROBABILITY = "sampling.probability";

  private RootSpanWeights() {}

  /** The weight of {@code root}, given the probability served for its operation. */
  public static double weight(Span root, double servedProbability) {
    String type = root.attributes().getString(SAMPLER_TYPE);
    if (type != null) {
      switch (type) {
        case "probabilistic": {
          double p = number(root.attributes().get(SAMPLER_PARAM));
          return p > 0 && p <= 1 ? 1 / p : 1;
        }
        case "lowerbound":
        case "ratelimiting":
        case "const":
        default:
          // sampled by a rate limiter, always, or by a sampler we do not know: counts itself only
          return 1;
      }
    }
    double p = number(root.attributes().get(SAMPLING_PROBABILITY));
    if (p > 0 && p <= 1) return 1 / p;
    p = thresholdProbability(root.traceState());
    if (p > 0 && p <= 1) return 1 / p;
    return servedProbability > 0 ? 1 / servedProbability : 1;
  }

  private static double number(AttributeValue value) {
    if (value == null) return Double.NaN;
    switch (value.type()) {
      case DOUBLE:
        return value.doubleValue();
      case LONG:
        return value.longValue();
      case BOOLEAN:
        return value.booleanValue() ? 1 : 0;
      case STRING:
        try {
          return Double.parseDouble(value.stringValue().trim());
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
      default:
        return Double.NaN;
    }
  }

  /**
   * The sampling probability of an OpenTelemetry trace state's {@code ot=th:HEX} rejection
   * threshold (up to 14 hex digits, trailing zeros omitted): {@code 1 - th / 2^56}.
   */
  static double thresholdProbability(String traceState) {
    if (traceState == null || traceState.isEmpty()) return Double.NaN;
    for (String member : traceState.split(",")) {
      String m = member.trim();
      if (!m.startsWith("ot=")) continue;
      for (String field : m.substring(3).split(";")) {
        if (!field.startsWith("th:")) continue;
        String hex = field.substring(3);
        if (hex.isEmpty() || hex.length() > 14) return Double.NaN;
        long threshold;
        try {
          threshold = Long.parseUnsignedLong(hex, 16) << (4 * (14 - hex.length()));
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
        return 1 - threshold / 0x1p56;
      }
    }
    return Double.NaN;
  }
}
