package dev.spanwise.storage;

import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** One row of search results: enough to list a trace without reading its spans. */
public final class TraceSummary {
  private final TraceId traceId;
  private final String rootServiceName;
  private final String rootSpanName;
  private final long startEpochNanos;
  private final long durationNanos;
  private final int spanCount;
  private final int errorCount;
  private final Map<String, Integer> spanCountByService;

  private TraceSummary(Builder b) {
    traceId = Objects.requireNonNull(b.traceId, "traceId");
    rootServiceName = b.rootServiceName;
    rootSpanName = b.rootSpanName;
    startEpochNanos = b.startEpochNanos;
    durationNanos = b.durationNanos;
    spanCount = b.spanCount;
    errorCount = b.errorCount;
    spanCountByService = Collections.unmodifiableMap(new LinkedHashMap<>(b.spanCountByService));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Summarizes the spans of one trace, the same way in every backend: the root is the earliest
   * span without a parent, or the earliest span when no root has arrived; start is the earliest
   * span start; duration is the latest span end minus that; errors count spans with error status.
   *
   * @throws IllegalArgumentException when {@code trace} is empty or mixes trace ids
   */
  public static TraceSummary of(Collection<Span> trace) {
    if (trace.isEmpty()) throw new IllegalArgumentException("trace has no spans");
    TraceId traceId = null;
    Span root = null;
    Span earliest = null;
    long end = Long.MIN_VALUE;
    int errors = 0;
    Map<String, Integer> byService = new TreeMap<>();
    for (Span span : trace) {
      if (traceId == null) {
        traceId = span.traceId();
      } else if (!traceId.equals(span.traceId())) {
        throw new IllegalArgumentException(
            "trace mixes trace ids " + traceId + " and " + span.traceId());
      }
      if (earliest == null || startsBefore(span, earliest)) earliest = span;
      if (span.isRoot() && (root == null || startsBefore(span, root))) root = span;
      end = Math.max(end, span.endEpochNanos());
      if (span.isError()) errors++;
      byService.merge(span.serviceName(), 1, Integer::sum);
    }
    Span shown = root != null ? root : earliest;
    long start = earliest.startEpochNanos();
    return builder()
        .traceId(traceId)
        .rootServiceName(shown.serviceName())
        .rootSpanName(shown.name())
        .startEpochNanos(start)
        .durationNanos(Math.max(0, end - start))
        .spanCount(trace.size())
        .errorCount(errors)
        .spanCountByService(byService)
        .build();
  }

  private static boolean startsBefore(Span a, Span b) {
    if (a.startEpochNanos() != b.startEpochNanos()) return a.startEpochNanos() < b.startEpochNanos();
    return Long.compareUnsigned(a.spanId(), b.spanId()) < 0;
  }

  public TraceId traceId() {
    return traceId;
  }

  /**
   * Service of the root span; when the root has not arrived (yet), of the earliest span, and the
   * summary says so through {@link #rootSpanName()} being that span's name.
   */
  public String rootServiceName() {
    return rootServiceName;
  }

  public String rootSpanName() {
    return rootSpanName;
  }

  /** Earliest span start. */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** Latest span end minus earliest span start. */
  public long durationNanos() {
    return durationNanos;
  }

  public int spanCount() {
    return spanCount;
  }

  public int errorCount() {
    return errorCount;
  }

  /** Services in the trace with their span counts, ordered by service name. */
  public Map<String, Integer> spanCountByService() {
    return spanCountByService;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TraceSummary)) return false;
    TraceSummary t = (TraceSummary) o;
    return traceId.equals(t.traceId) && rootServiceName.equals(t.rootServiceName)
        && rootSpanName.equals(t.rootSpanName) && startEpochNanos == t.startEpochNanos
        && durationNanos == t.durationNanos && spanCount == t.spanCount
        && errorCount == t.errorCount && spanCountByService.equals(t.spanCountByService);
  }

  @Override
  public int hashCode() {
    return traceId.hashCode();
  }

  @Override
  public String toString() {
    return "TraceSummary{" + traceId + " " + rootServiceName + " " + rootSpanName + " start="
        + startEpochNanos + " duration=" + durationNanos + " spans=" + spanCount + " errors="
        + errorCount + " " + spanCountByService + "}";
  }

  public static final class Builder {
    private TraceId traceId;
    private String rootServiceName = "";
    private String rootSpanName = "";
    private long startEpochNanos;
    private long durationNanos;
    private int spanCount;
    private int errorCount;
    private Map<String, Integer> spanCountByService = Map.of();

    Builder() {}

    public Builder traceId(TraceId traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder rootServiceName(String rootServiceName) {
      this.rootServiceName = Objects.requireNonNull(rootServiceName, "rootServiceName");
      return this;
    }

    public Builder rootSpanName(String rootSpanName) {
      this.rootSpanName = Objects.requireNonNull(rootSpanName, "rootSpanName");
      return this;
    }

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder durationNanos(long durationNanos) {
      this.durationNanos = durationNanos;
      return this;
    }

    public Builder spanCount(int spanCount) {
      this.spanCount = spanCount;
      return this;
    }

    public Builder errorCount(int errorCount) {
      this.errorCount = errorCount;
      return this;
    }

    public Builder spanCountByService(Map<String, Integer> spanCountByService) {
      this.spanCountByService = new java.util.TreeMap<>(spanCountByService);
      return this;
    }

    public TraceSummary build() {
      return new TraceSummary(this);
    }
  }
}
