package dev.spanwise.query;

import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.AttributeNames;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.DependencyReader;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.ServiceNames;
import dev.spanwise.storage.SpanConsumer;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceReader;
import dev.spanwise.storage.TraceSearch;
import dev.spanwise.storage.TraceSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small store for route tests: spans in a list, searched by brute force, with the capabilities it
 * is told to declare, and the last search and dependency window it was asked for.
 */
final class FakeSpanStore implements SpanStore {
  final List<Span> spans = new ArrayList<>();
  final List<DependencyLink> links = new ArrayList<>();
  final Set<StorageCapability> capabilities;
  volatile TraceQuery lastQuery;
  /** The thread the last search ran on. */
  volatile String lastSearchThread;
  volatile long[] lastDependencyWindow;
  /** Thrown by reads when set: an IOException or a RuntimeException. */
  volatile Exception failure;

  FakeSpanStore(Set<StorageCapability> capabilities) {
    this.capabilities = capabilities;
  }

  static FakeSpanStore withAll() {
    return new FakeSpanStore(EnumSet.allOf(StorageCapability.class));
  }

  FakeSpanStore add(List<Span> more) {
    spans.addAll(more);
    return this;
  }

  private void maybeFail() throws IOException {
    Exception e = failure;
    if (e instanceof IOException) throw (IOException) e;
    if (e instanceof RuntimeException) throw (RuntimeException) e;
  }

  @Override
  public Set<StorageCapability> capabilities() {
    return capabilities;
  }

  @Override
  public SpanConsumer spanConsumer() {
    return (tenant, batch) -> spans.addAll(batch);
  }

  @Override
  public TraceReader traceReader() {
    return (tenant, id) -> {
      maybeFail();
      List<Span> trace = new ArrayList<>();
      for (Span s : spans) if (s.traceId().equals(id)) trace.add(s);
      trace.sort(Comparator.comparingLong(Span::startEpochNanos));
      return trace;
    };
  }

  @Override
  public TraceSearch traceSearch() {
    return query -> {
      maybeFail();
      lastQuery = query;
      lastSearchThread = Thread.currentThread().getName();
      Map<TraceId, List<Span>> traces = new LinkedHashMap<>();
      for (Span s : spans) traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
      List<TraceSummary> result = new ArrayList<>();
      for (List<Span> trace : traces.values()) {
        if (trace.stream().anyMatch(s -> matches(query, s))) result.add(TraceSummary.of(trace));
      }
      result.sort(Comparator.comparingLong(TraceSummary::startEpochNanos).reversed());
      return result.size() > query.limit() ? result.subList(0, query.limit()) : result;
    };
  }

  static boolean matches(TraceQuery q, Span s) {
    if (q.serviceName() != null && !q.serviceName().equals(s.serviceName())) return false;
    if (q.spanName() != null && !q.spanName().equals(s.name())) return false;
    if (q.spanKind() != null && q.spanKind() != s.kind()) return false;
    if (q.errorOnly() && !s.isError()) return false;
    if (s.durationNanos() < q.minDurationNanos() || s.durationNanos() > q.maxDurationNanos()) {
      return false;
    }
    if (s.startEpochNanos() < q.startEpochNanos() || s.startEpochNanos() > q.endEpochNanos()) {
      return false;
    }
    for (AttributeFilter f : q.attributeFilters()) {
      AttributeValue v = s.attributes().get(f.key());
      if (v == null) v = s.resource().attributes().get(f.key());
      if (v == null || f.value() != null && !f.value().equals(v.asText())) return false;
    }
    return true;
  }

  @Override
  public ServiceNames serviceNames() {
    return new ServiceNames() {
      @Override
      public List<String> services(String tenant) throws IOException {
        maybeFail();
        TreeSet<String> names = new TreeSet<>();
        for (Span s : spans) names.add(s.serviceName());
        return new ArrayList<>(names);
      }

      @Override
      public List<Operation> operations(String tenant, String service, SpanKind kind) {
        TreeSet<Operation> ops = new TreeSet<>();
        for (Span s : spans) {
          if (s.serviceName().equals(service) && (kind == null || s.kind() == kind)) {
            ops.add(Operation.of(s.name(), s.kind()));
          }
        }
        return new ArrayList<>(ops);
      }

      @Override
      public List<String> remoteServices(String tenant, String service) {
        TreeSet<String> names = new TreeSet<>();
        for (Span s : spans) {
          String peer = s.attributes().getString("peer.service");
          if (s.serviceName().equals(service) && peer != null
              && (s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER)) {
            names.add(peer);
          }
        }
        return new ArrayList<>(names);
      }
    };
  }

  @Override
  public AttributeNames attributeNames() {
    return new AttributeNames() {
      @Override
      public List<String> keys(String tenant, String service) {
        TreeSet<String> keys = new TreeSet<>();
        for (Span s : spans) {
          if (service == null || s.serviceName().equals(service)) {
            s.attributes().forEach((k, v) -> keys.add(k));
            s.resource().attributes().forEach((k, v) -> keys.add(k));
          }
        }
        return new ArrayList<>(keys);
      }

      @Override
      public List<String> values(String tenant, String key, String prefix, int limit) {
        TreeSet<String> values = new TreeSet<>();
        for (Span s : spans) {
          String v = s.attributes().getString(key);
          if (v == null) v = s.resource().attributes().getString(key);
          if (v != null && v.startsWith(prefix)) values.add(v);
        }
        List<String> result = new ArrayList<>(values);
        return result.size() > limit ? result.subList(0, limit) : result;
      }
    };
  }

  @Override
  public DependencyReader dependencyReader() {
    return (tenant, start, end) -> {
      maybeFail();
      lastDependencyWindow = new long[] {start, end};
      return links;
    };
  }
}
