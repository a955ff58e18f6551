package dev.spanwise.query.internal;

import dev.spanwise.model.Span;
import dev.spanwise.storage.TraceSummary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Computes a {@link TraceSummary} from a trace's spans, with the storage layer's rules. */
public final class Summaries {
  /** {@code trace} must not be empty. */
  public static TraceSummary of(List<Span> trace) {
    Span root = null;
    Span earliest = null;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    Map<String, Integer> byService = new TreeMap<>();
    for (Span s : trace) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
      if (s.isError()) errors++;
      byService.merge(s.serviceName(), 1, Integer::sum);
      if (s.isRoot() && (root == null || s.startEpochNanos() < root.startEpochNanos())) root = s;
      if (earliest == null || s.startEpochNanos() < earliest.startEpochNanos()) earliest = s;
    }
    Span head = root != null ? root : earliest;
    return TraceSummary.builder()
        .traceId(head.traceId())
        .rootServiceName(head.serviceName())
        .rootSpanName(head.name())
        .startEpochNanos(start)
        .durationNanos(Math.max(0, end - start))
        .spanCount(trace.size())
        .errorCount(errors)
        .spanCountByService(byService)
        .build();
  }

  private Summaries() {}
}
