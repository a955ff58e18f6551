package dev.spanwise.query;

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
 * Changes a trace after it is read from storage and before any API renders it: deduplication now,
 * clock-skew correction later (from the analysis module). An adjuster never throws on odd input;
 * it returns the trace unchanged when it has nothing to do.
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
    return trace -> next.adjust(adjust(trace));
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

  /** The chain every API uses unless told otherwise: {@link #deduplicate()}. */
  static TraceAdjuster standard() {
    return deduplicate();
  }
}
