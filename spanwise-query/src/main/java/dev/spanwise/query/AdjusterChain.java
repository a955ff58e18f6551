package dev.spanwise.query;

import dev.spanwise.analysis.ClockSkewAdjuster;
import dev.spanwise.model.Span;
import java.util.List;

/** {@code first}, then {@code next}; knows how to leave out clock-skew correction. */
final class AdjusterChain implements TraceAdjuster {
  private final TraceAdjuster first;
  private final TraceAdjuster next;

  AdjusterChain(TraceAdjuster first, TraceAdjuster next) {
    this.first = first;
    this.next = next;
  }

  @Override
  public List<Span> adjust(List<Span> trace) {
    return next.adjust(first.adjust(trace));
  }

  @Override
  public TraceAdjuster withoutClockSkew() {
    TraceAdjuster a = first.withoutClockSkew();
    TraceAdjuster b = next.withoutClockSkew();
    if (a == first && b == next) return this;
    return new AdjusterChain(a, b);
  }

  @Override
  public ClockSkewAdjuster clockSkewAdjuster() {
    ClockSkewAdjuster a = next.clockSkewAdjuster();
    return a != null ? a : first.clockSkewAdjuster();
  }

  @Override
  public String toString() {
    return first + " -> " + next;
  }
}
