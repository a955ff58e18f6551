package dev.spanwise.query.internal;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.query.QueryOptions;
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
  private final SpanStore store;
  private final QueryOptions options;

  public StoreQueries(SpanStore store, QueryOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.options = Objects.requireNonNull(options, "options");
  }

  public String tenant() {
    return options.tenant();
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
    require(StorageCapability.TRACE_BY_ID, "this storage backend does not read traces by id");
    List<TraceSummary> summaries = searchSummaries(query);
    List<TraceId> ids = new ArrayList<>(summaries.size());
    for (TraceSummary s : summaries) ids.add(s.traceId());
    return traces(ids);
  }

  /** The trace, adjusted; empty when unknown. */
  public List<Span> trace(TraceId id) throws IOException {
    require(StorageCapability.TRACE_BY_ID, "this storage backend does not read traces by id");
    List<Span> spans = store.traceReader().getTrace(options.tenant(), id);
    return spans.isEmpty() ? spans : options.traceAdjuster().adjust(spans);
  }

  /** The traces that exist, adjusted, in the order asked. */
  public List<List<Span>> traces(List<TraceId> ids) throws IOException {
    require(StorageCapability.TRACE_BY_ID, "this storage backend does not read traces by id");
    if (ids.isEmpty()) return List.of();
    List<List<Span>> result = new ArrayList<>(ids.size());
    for (List<Span> trace : store.traceReader().getTraces(options.tenant(), ids)) {
      if (!trace.isEmpty()) result.add(options.traceAdjuster().adjust(trace));
    }
    return result;
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
