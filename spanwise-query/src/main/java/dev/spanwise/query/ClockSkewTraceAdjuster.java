package dev.spanwise.query;

import dev.spanwise.analysis.ClockSkewAdjuster;
import dev.spanwise.model.Span;
import java.util.List;

/** {@link TraceAdjuster#clockSkew()}: the analysis module's adjuster in the read-time chain. */
final class ClockSkewTraceAdjuster implements TraceAdjuster {
  private final ClockSkewAdjuster adjuster;

  ClockSkewTraceAdjuster(ClockSkewAdjuster adjuster) {
    this.adjuster = adjuster;
  }

  @Override
  public List<Span> adjust(List<Span> trace) {
    ClockSkewAdjuster.Result result = adjuster.adjust(trace);
    return result.adjustments().isEmpty() ? trace : result.spans();
  }

  @Override
  public TraceAdjuster withoutClockSkew() {
    return TraceAdjuster.identity();
  }

  @Override
  public ClockSkewAdjuster clockSkewAdjuster() {
    return adjuster;
  }

  @Override
  public String toString() {
    return "clockSkew";
  }
}
