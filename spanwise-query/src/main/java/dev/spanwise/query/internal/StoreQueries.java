package dev.spanwise.query.internal;

import dev.spanwise.analysis.ClockSkewAdjuster;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.query.QueryOptions;
import dev.spanwise.query.TraceAdjuster;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import dev.spanwise.storage.UnsupportedQueryException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The questions the query APIs ask of storage, shared by all of them: checks the backend's declared
 * capabilities first (refusing with {@link UnsupportedQueryException} rather than answering empty),
 * and applies the read-time adjusters to every trace read.
 */
public final class StoreQueries {
  /** Query parameter that turns clock-skew correction off when false. */
  public static final String ADJUST_PARAM = "adjust";
  /** Query parameter that turns clock-skew correction off when false. */
  public static final String CLOCK_SKEW_PARAM = "clockSkew";

  private final SpanStore store;
  private final QueryOptions options;

  public StoreQueries(SpanStore store, QueryOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
  }

  public String tenant() {
    return options.tenant();
  }

  /** The threads that answer requests ({@link QueryOptions#executor()}). */
  public java.util.concurrent.Executor executor() {
    return options.executor();
  }

  public java.util.Set<StorageCapability> capabilities() {
    return store.capabilities();
  }

  /** Nanoseconds since the epoch by the configured clock. */
  public long nowEpochNanos() {
    Instant now = options.clock().instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  public TraceQuery.Builder newQuery() {
    return TraceQuery.builder().tenant(options.tenant());
  }

  public List<String> services() throws IOException {
    require(StorageCapability.SERVICE_NAMES, "this storage backend does not list service names");
    return store.serviceNames().services(options.tenant());
  }

  public List<Operation> operations(String service, SpanKind kind) throws IOException {
    require(StorageCapability.SERVICE_NAMES, "this storage backend does not list operations");
    return store.serviceNames().operations(options.tenant(), service, kind);
  }

  /** Distinct operation names of a service, sorted. */
  public List<String> operationNames(String service) throws IOException {
    List<String> names = new ArrayList<>();
    for (Operation op : operations(service, null)) {
      if (names.isEmpty() || !names.get(names.size() - 1).equals(op.name())) names.add(op.name());
    }
    return names;
  }

  public List<String> remoteServices(String service) throws IOException {
    require(StorageCapability.SERVICE_NAMES, "this storage backend does not list remote services");
    return store.serviceNames().remoteServices(options.tenant(), service);
  }

  public List<TraceSummary> searchSummaries(TraceQuery query) throws IOException {
    if (query.serviceName() != null) {
      require(StorageCapability.SEARCH_BY_SERVICE, "this storage backend does not search traces");
    } else {
      require(StorageCapability.SEARCH_WITHOUT_SERVICE,
          "this storage backend needs a service name to search traces");
    }
    if (!query.attributeFilters().isEmpty()) {
      require(StorageCapability.SEARCH_BY_ATTRIBUTE,
          "this storage backend does not search by attribute (tag)");
    }
    if (query.hasDurationFilter()) {
      require(StorageCapability.SEARCH_BY_DURATION,
          "this storage backend does not search by span duration");
    }
    return store.traceSearch().search(query);
  }

  /** Matching traces, adjusted, in the order of the search (newest first). */
  public List<List<Span>> searchTraces(TraceQuery query) throws IOException {
    return searchTraces(query, true);
  }

  /** As {@link #searchTraces(TraceQuery)}, leaving out clock-skew correction unless asked. */
  public List<List<Span>> searchTraces(TraceQuery query, boolean clockSkew) throws IOException {
    require(StorageCapability.TRACE_BY_ID, "this storage backend does not read traces by id");
    List<TraceSummary> summaries = searchSummaries(query);
    List<TraceId> ids = new ArrayList<>(summaries.size());
    for (TraceSummary s : summaries) ids.add(s.traceId());
    return traces(ids, clockSkew);
  }

  /** The trace, adjusted; empty when unknown. */
  public List<Span> trace(TraceId id) throws IOException {
    return trace(id, true);
  }

  /** As {@link #trace(TraceId)}, leaving out clock-skew correction unless asked. */
  public List<Span> trace(TraceId id, boolean clockSkew) throws IOException {
    require(StorageCapability.TRACE_BY_ID, "this storage backend does not read traces by id");
    List<Span> spans = store.traceReader().getTrace(options.tenant(), id);
    return spans.isEmpty() ? spans : adjuster(clockSkew).adjust(spans);
  }

  /** The traces that exist, adjusted, in the order asked. */
  public List<List<Span>> traces(List<TraceId> ids) throws IOException {
    return traces(ids, true);
  }

  /** As {@link #traces(List)}, leaving out clock-skew correction unless asked. */
  public List<List<Span>> traces(List<TraceId> ids, boolean clockSkew) throws IOException {
    require(StorageCapability.TRACE_BY_ID, "this storage backend does not read traces by id");
    if (ids.isEmpty()) return List.of();
    TraceAdjuster adjuster = adjuster(clockSkew);
    List<List<Span>> result = new ArrayList<>(ids.size());
    for (List<Span> trace : store.traceReader().getTraces(options.tenant(), ids)) {
      if (!trace.isEmpty()) result.add(adjuster.adjust(trace));
    }
    return result;
  }

  /**
   * A trace read through the adjuster chain, clock-skew correction last so that its warnings are
   * kept; {@code clockSkew} is null when no correction ran.
   */
  public record AdjustedTrace(List<Span> spans, ClockSkewAdjuster.Result clockSkew) {
    /** What read-time correction changed on this span of {@link #spans()}; empty when nothing. */
    public List<String> warnings(Span span) {
      if (clockSkew == null) return List.of();
      ClockSkewAdjuster.Adjustment a = clockSkew.adjustmentOf(span);
      return a == null ? List.of() : List.of(a.warning());
    }
  }

  /** As {@link #trace(TraceId, boolean)}, keeping the clock-skew warnings; null when unknown. */
  public AdjustedTrace adjustedTrace(TraceId id, boolean clockSkew) throws IOException {
    List<Span> spans = trace(id, false);
    return spans.isEmpty() ? null : correctSkew(spans, clockSkew);
  }

  /** As {@link #traces(List, boolean)}, keeping the clock-skew warnings. */
  public List<AdjustedTrace> adjustedTraces(List<TraceId> ids, boolean clockSkew)
      throws IOException {
    List<AdjustedTrace> result = new ArrayList<>(ids.size());
    for (List<Span> spans : traces(ids, false)) result.add(correctSkew(spans, clockSkew));
    return result;
  }

  /** As {@link #searchTraces(TraceQuery, boolean)}, keeping the clock-skew warnings. */
  public List<AdjustedTrace> searchAdjustedTraces(TraceQuery query, boolean clockSkew)
      throws IOException {
    require(StorageCapability.TRACE_BY_ID, "this storage backend does not read traces by id");
    List<TraceId> ids = new ArrayList<>();
    for (TraceSummary s : searchSummaries(query)) ids.add(s.traceId());
    return adjustedTraces(ids, clockSkew);
  }

  private AdjustedTrace correctSkew(List<Span> spans, boolean clockSkew) {
    ClockSkewAdjuster adjuster = clockSkew ? clockSkewAdjuster() : null;
    if (adjuster == null) return new AdjustedTrace(spans, null);
    ClockSkewAdjuster.Result result = adjuster.adjust(spans);
    return new AdjustedTrace(result.spans(), result);
  }

  /** The clock-skew adjuster of the configured chain, or null when it corrects no skew. */
  public ClockSkewAdjuster clockSkewAdjuster() {
    return options.traceAdjuster().clockSkewAdjuster();
  }

  private TraceAdjuster adjuster(boolean clockSkew) {
    TraceAdjuster configured = options.traceAdjuster();
    return clockSkew ? configured : configured.withoutClockSkew();
  }

  /**
   * The request's choice about clock-skew correction: off when {@code adjust} or {@code
   * clockSkew} is false (400 naming the parameter when not a boolean); on otherwise.
   */
  public static boolean clockSkewRequested(Params params) {
    boolean adjust = params.bool(ADJUST_PARAM, true);
    boolean clockSkew = params.bool(CLOCK_SKEW_PARAM, true);
    return adjust && clockSkew;
  }

  public List<DependencyLink> dependencies(long startEpochNanos, long endEpochNanos)
      throws IOException {
    require(StorageCapability.DEPENDENCIES, "this storage backend does not keep dependency links");
    return store.dependencyReader().dependencies(options.tenant(), startEpochNanos, endEpochNanos);
  }

  public List<String> attributeKeys(String service) throws IOException {
    require(StorageCapability.ATTRIBUTE_NAMES, "this storage backend does not list attribute keys");
    return store.attributeNames().keys(options.tenant(), service);
  }

  public List<String> attributeValues(String key, String prefix, int limit) throws IOException {
    require(StorageCapability.ATTRIBUTE_NAMES,
        "this storage backend does not list attribute values");
    return store.attributeNames().values(options.tenant(), key, prefix == null ? "" : prefix, limit);
  }

  private void require(StorageCapability capability, String reason) {
    if (!store.has(capability)) throw new UnsupportedQueryException(capability, reason);
  }
}
