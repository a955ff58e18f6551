package dev.spanwise.storage.memory;

import dev.spanwise.model.AttributeType;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.DependencyLinker;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything one tenant stored: traces by id, indexes by time and by service, and rollups kept as
 * counts so that removing a trace (eviction, retention) forgets names no remaining span carries.
 * Not thread-safe; {@link InMemorySpanStore} guards it with a read-write lock.
 */
final class TenantData {
  static final String SERVER_ADDRESS = "server.address";

  private final Map<TraceId, StoredTrace> traces = new HashMap<>();
  private final TreeSet<StoredTrace> byStart = new TreeSet<>(StoredTrace.NEWEST_FIRST);
  private final Map<String, TreeSet<StoredTrace>> byService = new HashMap<>();
  private final TreeSet<Call> calls = new TreeSet<>(Call.BY_START);
  /** The most any trace's latest span started after its earliest: bounds searches by time. */
  private long maxSpanStartSpread;
  private int spanCount;

  private final Counts<String> services = new Counts<>();
  private final Map<String, Counts<Operation>> operations = new HashMap<>();
  private final Map<String, Counts<String>> remoteServices = new HashMap<>();
  private final Counts<String> keys = new Counts<>();
  private final Map<String, Counts<String>> keysByService = new HashMap<>();
  private final Map<String, Counts<String>> values = new HashMap<>();

  int spanCount() {
    return spanCount;
  }

  boolean isEmpty() {
    return traces.isEmpty();
  }

  /** The oldest trace (by earliest span start), or null. */
  StoredTrace oldest() {
    return byStart.isEmpty() ? null : byStart.last();
  }

  // --------------------------------------------------------------------------------- writes

  /** Stores spans, replacing any with the same (trace id, span id, kind). */
  void accept(List<Span> batch) {
    Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
    for (Span span : batch) {
      byTrace.computeIfAbsent(span.traceId(), k -> new ArrayList<>()).add(span);
    }
    for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
      StoredTrace trace = traces.get(e.getKey());
      boolean isNew = trace == null;
      if (isNew) trace = new StoredTrace(e.getKey());
      boolean changed = false;
      for (Span span : e.getValue()) {
        Span old = trace.spans.get(new StoredTrace.SpanKey(span.spanId(), span.kind()));
        if (span.equals(old)) continue;
        if (!changed && !isNew) unlink(trace);
        changed = true;
        if (old != null) {
          unindex(old);
          spanCount--;
        }
        trace.spans.put(new StoredTrace.SpanKey(span.spanId(), span.kind()), span);
        index(span);
        spanCount++;
      }
      if (changed) link(trace);
    }
  }

  /** Removes a trace and everything derived from it. */
  void remove(StoredTrace trace) {
    unlink(trace);
    for (Span span : trace.spans.values()) unindex(span);
    spanCount -= trace.spanCount();
    traces.remove(trace.traceId);
  }

  /** Removes traces whose spans all started before the cutoff. */
  void deleteBefore(long cutoffEpochNanos) {
    List<StoredTrace> doomed = new ArrayList<>();
    for (Iterator<StoredTrace> it = byStart.descendingIterator(); it.hasNext(); ) {
      StoredTrace trace = it.next();
      if (trace.start >= cutoffEpochNanos) break;
      if (trace.latestSpanStart < cutoffEpochNanos) doomed.add(trace);
    }
    for (StoredTrace trace : doomed) remove(trace);
  }

  /** Takes the trace out of the indexes ordered by its derived fields. */
  private void unlink(StoredTrace trace) {
    byStart.remove(trace);
    for (String service : trace.services) {
      TreeSet<StoredTrace> set = byService.get(service);
      set.remove(trace);
      if (set.isEmpty()) byService.remove(service);
    }
    for (Call call : trace.calls) calls.remove(call);
  }

  /** Recomputes what derives from the trace's spans and puts it (back) into the indexes. */
  private void link(StoredTrace trace) {
    trace.refresh();
    traces.put(trace.traceId, trace);
    byStart.add(trace);
    for (String service : trace.services) {
      byService.computeIfAbsent(service, k -> new TreeSet<>(StoredTrace.NEWEST_FIRST)).add(trace);
    }
    List<Call> derived = new ArrayList<>();
    DependencyLinker.forEachCall(trace.sortedSpans, (parent, child, start, error) ->
        derived.add(new Call(start, trace.traceId, derived.size(), parent, child, error)));
    trace.calls = List.copyOf(derived);
    calls.addAll(derived);
    maxSpanStartSpread = Math.max(maxSpanStartSpread, trace.latestSpanStart - trace.start);
  }

  private void index(Span span) {
    String service = span.serviceName();
    services.add(service);
    operations.computeIfAbsent(service, k -> new Counts<>())
        .add(Operation.of(span.name(), span.kind()));
    String remote = remoteServiceName(span);
    if (remote != null) remoteServices.computeIfAbsent(service, k -> new Counts<>()).add(remote);
    Counts<String> serviceKeys = keysByService.computeIfAbsent(service, k -> new Counts<>());
    indexAttributes(span.attributes(), serviceKeys);
    indexAttributes(span.resource().attributes(), serviceKeys);
  }

  private void indexAttributes(Attributes attributes, Counts<String> serviceKeys) {
    for (int i = 0; i < attributes.size(); i++) {
      String key = attributes.key(i);
      keys.add(key);
      serviceKeys.add(key);
      AttributeValue value = attributes.value(i);
      if (value.type() == AttributeType.STRING) {
        values.computeIfAbsent(key, k -> new Counts<>()).add(value.stringValue());
      }
    }
  }

  private void unindex(Span span) {
    String service = span.serviceName();
    services.remove(service);
    removeFrom(operations, service, Operation.of(span.name(), span.kind()));
    String remote = remoteServiceName(span);
    if (remote != null) removeFrom(remoteServices, service, remote);
    unindexAttributes(span.attributes(), service);
    unindexAttributes(span.resource().attributes(), service);
  }

  private void unindexAttributes(Attributes attributes, String service) {
    for (int i = 0; i < attributes.size(); i++) {
      String key = attributes.key(i);
      keys.remove(key);
      removeFrom(keysByService, service, key);
      AttributeValue value = attributes.value(i);
      if (value.type() == AttributeType.STRING) removeFrom(values, key, value.stringValue());
    }
  }

  private static <K, V extends Comparable<V>> void removeFrom(
      Map<K, Counts<V>> map, K key, V value) {
    Counts<V> counts = map.get(key);
    if (counts == null) return;
    counts.remove(value);
    if (counts.isEmpty()) map.remove(key);
  }

  /** {@code peer.service}, else {@code server.address}, of a client or producer span; or null. */
  static String remoteServiceName(Span span) {
    if (span.kind() != SpanKind.CLIENT && span.kind() != SpanKind.PRODUCER) return null;
    String peer = span.attributes().getString(DependencyLinker.PEER_SERVICE);
    if (peer == null || peer.isEmpty()) peer = span.attributes().getString(SERVER_ADDRESS);
    return peer == null || peer.isEmpty() ? null : peer;
  }

  // --------------------------------------------------------------------------------- reads

  List<Span> trace(TraceId traceId) {
    StoredTrace trace = traces.get(traceId);
    return trace == null ? List.of() : trace.sortedSpans;
  }

  List<TraceSummary> search(TraceQuery query) {
    NavigableSet<StoredTrace> candidates = query.serviceName() == null
        ? byStart
        : byService.get(query.serviceName());
    if (candidates == null) return List.of();
    // Newest first, skipping traces that start after the window; a trace that started more than
    // maxSpanStartSpread before the window has no span starting in it.
    long earliestUseful = query.startEpochNanos() - maxSpanStartSpread;
    List<TraceSummary> result = new ArrayList<>();
    for (StoredTrace trace
        : candidates.tailSet(StoredTrace.probe(query.endEpochNanos()), true)) {
      if (trace.start < earliestUseful) break;
      if (anySpanMatches(trace.sortedSpans, query)) {
        result.add(trace.summary);
        if (result.size() == query.limit()) break;
      }
    }
    return result;
  }

  private static boolean anySpanMatches(Collection<Span> spans, TraceQuery q) {
    for (Span span : spans) {
      if (matches(span, q)) return true;
    }
    return false;
  }

  static boolean matches(Span span, TraceQuery q) {
    if (span.startEpochNanos() < q.startEpochNanos()) return false;
    if (span.startEpochNanos() > q.endEpochNanos()) return false;
    if (q.serviceName() != null && !q.serviceName().equals(span.serviceName())) return false;
    if (q.spanName() != null && !q.spanName().equals(span.name())) return false;
    if (q.spanKind() != null && q.spanKind() != span.kind()) return false;
    if (q.errorOnly() && !span.isError()) return false;
    long duration = span.durationNanos();
    if (duration < q.minDurationNanos() || duration > q.maxDurationNanos()) return false;
    for (AttributeFilter filter : q.attributeFilters()) {
      if (!holds(filter, span.attributes()) && !holds(filter, span.resource().attributes())) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(AttributeFilter filter, Attributes attributes) {
    AttributeValue value = attributes.get(filter.key());
    if (value == null) return false;
    return filter.value() == null || filter.value().equals(value.asText());
  }

  List<String> services() {
    return services.sorted();
  }

  List<Operation> operations(String service, SpanKind kind) {
    Counts<Operation> counts = operations.get(service);
    if (counts == null) return List.of();
    List<Operation> result = new ArrayList<>();
    for (Operation op : counts.asMap().keySet()) {
      if (kind == null || op.kind() == kind) result.add(op);
    }
    return result;
  }

  List<String> remoteServices(String service) {
    Counts<String> counts = remoteServices.get(service);
    return counts == null ? List.of() : counts.sorted();
  }

  List<String> keys(String service) {
    if (service == null) return keys.sorted();
    Counts<String> counts = keysByService.get(service);
    return counts == null ? List.of() : counts.sorted();
  }

  List<String> values(String key, String prefix, int limit) {
    Counts<String> counts = values.get(key);
    if (counts == null) return List.of();
    List<String> result = new ArrayList<>();
    for (String value : counts.asMap().tailMap(prefix, true).keySet()) {
      if (!value.startsWith(prefix) || result.size() == limit) break;
      result.add(value);
    }
    return result;
  }

  List<DependencyLink> dependencies(long startEpochNanos, long endEpochNanos) {
    Map<String, Map<String, long[]>> counts = new TreeMap<>();
    for (Call call : calls.subSet(Call.probe(startEpochNanos), true,
        Call.probe(endEpochNanos), false)) {
      long[] c = counts.computeIfAbsent(call.parent(), k -> new TreeMap<>())
          .computeIfAbsent(call.child(), k -> new long[2]);
      c[0]++;
      if (call.error()) c[1]++;
    }
    List<DependencyLink> result = new ArrayList<>();
    counts.forEach((parent, children) -> children.forEach((child, c) ->
        result.add(DependencyLink.of(parent, child, c[0], c[1]))));
    return result;
  }
}
