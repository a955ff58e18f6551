package dev.spanwise.storage.memory;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spans of one trace in one tenant, with what is derived from them. The fields that order it in
 * the indexes ({@link #start}) change only while it is out of them; see {@link TenantData}.
 */
final class StoredTrace {
  /** Newest trace first, then by trace id: the order of search results. */
  static final Comparator<StoredTrace> NEWEST_FIRST = (a, b) -> {
    int c = Long.compare(b.start, a.start);
    return c != 0 ? c : a.traceId.compareTo(b.traceId);
  };

  static final Comparator<Span> BY_START = Comparator.comparingLong(Span::startEpochNanos)
      .thenComparing(Span::spanId, Long::compareUnsigned)
      .thenComparing(Span::kind);

  /** Identity of a span within its trace: Zipkin's shared spans differ only by kind. */
  record SpanKey(long spanId, SpanKind kind) {}

  final TraceId traceId;
  final Map<SpanKey, Span> spans = new HashMap<>();
  /** Earliest span start. */
  long start;
  /** Latest span start: a trace is deleted by retention only when this is before the cutoff. */
  long latestSpanStart;
  Set<String> services = Set.of();
  List<Span> sortedSpans = List.of();
  TraceSummary summary;
  List<Call> calls = List.of();

  StoredTrace(TraceId traceId) {
    this.traceId = traceId;
  }

  /** A key for navigating the indexes: sorts before every trace starting at {@code start}. */
  static StoredTrace probe(long start) {
    StoredTrace probe = new StoredTrace(TraceId.INVALID);
    probe.start = start;
    return probe;
  }

  /** Recomputes everything derived from the spans; call while out of the indexes. */
  void refresh() {
    List<Span> sorted = new ArrayList<>(spans.values());
    sorted.sort(BY_START);
    sortedSpans = List.copyOf(sorted);
    start = sorted.get(0).startEpochNanos();
    latestSpanStart = sorted.get(sorted.size() - 1).startEpochNanos();
    Set<String> names = new TreeSet<>();
    for (Span s : sorted) names.add(s.serviceName());
    services = Set.copyOf(names);
    summary = TraceSummary.of(sortedSpans);
  }

  int spanCount() {
    return spans.size();
  }
}
