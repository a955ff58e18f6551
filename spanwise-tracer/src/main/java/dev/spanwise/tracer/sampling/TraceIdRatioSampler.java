package dev.spanwise.tracer.sampling;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;

/** Samples when the low 8 bytes of the trace id fall under {@code ratio * Long.MAX_VALUE}. */
final class TraceIdRatioSampler implements Sampler {
  private final double ratio;
  private final long upperBound;
  private final String description;

  TraceIdRatioSampler(double ratio) {
    if (!(ratio >= 0.0 && ratio <= 1.0)) {
      throw new IllegalArgumentException("ratio must be in [0.0, 1.0], was " + ratio);
    }
    this.ratio = ratio;
    if (ratio == 0.0) {
      upperBound = Long.MIN_VALUE;
    } else if (ratio == 1.0) {
      upperBound = Long.MAX_VALUE;
    } else {
      upperBound = (long) (ratio * Long.MAX_VALUE);
    }
    this.description = "TraceIdRatioBased{" + ratio + "}";
  }

  double ratio() {
    return ratio;
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    if (ratio == 1.0) {
      return SamplingDecision.RECORD_AND_SAMPLE;
    }
    // Math.abs(Long.MIN_VALUE) is negative; treat it as MAX_VALUE.
    long value = traceIdLow == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(traceIdLow);
    return value < upperBound ? SamplingDecision.RECORD_AND_SAMPLE : SamplingDecision.DROP;
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
