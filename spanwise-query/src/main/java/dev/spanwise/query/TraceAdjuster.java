package dev.spanwise.query;

import dev.spanwise.analysis.ClockSkewAdjuster;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Changes a trace after it is read from storage and before any API renders it: deduplication and
 * clock-skew correction (from {@code spanwise-analysis}). An adjuster never throws on odd input;
 * it returns the trace unchanged when it has nothing to do.
 *
 * <p>Clock-skew correction can be turned off per request ({@code adjust=false} or {@code
 * clockSkew=false}): the APIs then use {@link #withoutClockSkew()} of the configured chain.
 */
@FunctionalInterface
public interface TraceAdjuster {
  /**
   * Returns the adjusted spans of one trace; may return its argument. The input is never empty
   * and is not modified.
   */
  List<Span> adjust(List<Span> trace);

  /** This adjuster, then {@code next}. */
  default TraceAdjuster andThen(TraceAdjuster next) {
    Objects.requireNonNull(next, "next");
    return new AdjusterChain(this, next);
  }

  /**
   * This adjuster with every {@linkplain #clockSkew() clock-skew correction} left out; an adjuster
   * that is not one (or a chain without one) returns itself.
   */
  default TraceAdjuster withoutClockSkew() {
    return this;
  }

  /**
   * The clock-skew adjuster this adjuster (or chain) applies, or null when it corrects no clock
   * skew. Spanwise's own API uses it to report each shifted span's warning.
   */
  default ClockSkewAdjuster clockSkewAdjuster() {
    return null;
  }

  /** Leaves traces as they are. */
  static TraceAdjuster identity() {
    return trace -> trace;
  }

  /** The adjusters in order. */
  static TraceAdjuster chain(TraceAdjuster... adjusters) {
    return chain(Arrays.asList(adjusters));
  }

  /** The adjusters in order. */
  static TraceAdjuster chain(List<TraceAdjuster> adjusters) {
    TraceAdjuster result = identity();
    for (TraceAdjuster a : adjusters) result = result.andThen(Objects.requireNonNull(a, "adjuster"));
    return result;
  }

  /**
   * Keeps the first of spans with the same (trace id, span id, kind), as a replay of the write-ahead
   * log can leave on a backend whose writes are not idempotent. Order is kept.
   */
  static TraceAdjuster deduplicate() {
    return trace -> {
      record Key(TraceId traceId, long spanId, SpanKind kind) {}
      Set<Key> seen = new HashSet<>(trace.size() * 2);
      List<Span> result = null;
      for (int i = 0; i < trace.size(); i++) {
        Span span = trace.get(i);
        boolean first = seen.add(new Key(span.traceId(), span.spanId(), span.kind()));
        if (!first && result == null) result = new ArrayList<>(trace.subList(0, i));
        else if (first && result != null) result.add(span);
      }
      return result == null ? trace : result;
    };
  }

  /**
   * Read-time clock-skew correction with {@link ClockSkewAdjuster#create()}: a span from another
   * host that starts before its parent or ends after it is shifted into the parent, with its
   * same-host subtree (Jaeger's adjuster).
   */
  static TraceAdjuster clockSkew() {
    return clockSkew(ClockSkewAdjuster.create());
  }

  /** Read-time clock-skew correction with the given adjuster (for example with a maximum shift). */
  static TraceAdjuster clockSkew(ClockSkewAdjuster adjuster) {
    return new ClockSkewTraceAdjuster(Objects.requireNonNull(adjuster, "adjuster"));
  }

  /**
   * The chain every API uses unless told otherwise: {@link #deduplicate()}, then {@link
   * #clockSkew()}.
   */
  static TraceAdjuster standard() {
    return chain(deduplicate(), clockSkew());
  }
}
