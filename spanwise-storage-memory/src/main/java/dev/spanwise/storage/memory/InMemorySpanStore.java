package dev.spanwise.storage.memory;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A storage backend that keeps spans in memory: for tests, demos and the query layer's own tests.
 * It answers every question ({@link #capabilities()} is all of {@link StorageCapability}), is
 * thread-safe (one read-write lock: many readers or one writer), and keeps at most {@link
 * Builder#maxSpans(int)} spans, evicting the oldest traces (by earliest span start) beyond that.
 *
 * <p>Traces are indexed by id, by start time and by service; service, operation, attribute and
 * dependency rollups are kept as counts, so that traces removed by eviction or {@link
 * #deleteBefore(long)} take their names with them. Writes are visible at once; {@link #flush()}
 * does nothing.
 *
 * <pre>{@code
 * InMemorySpanStore store = InMemorySpanStore.builder().maxSpans(10_000).build();
 * store.spanConsumer().accept(Tenants.DEFAULT, spans);
 * List<Span> trace = store.traceReader().getTrace(Tenants.DEFAULT, traceId);
 * }</pre>
 */
public final class InMemorySpanStore implements SpanStore {
  /** The default {@link Builder#maxSpans(int)}. */
  public static final int DEFAULT_MAX_SPANS = 100_000;

  private static final Set<StorageCapability> CAPABILITIES =
      Collections.unmodifiableSet(EnumSet.allOf(StorageCapability.class));

  private final int maxSpans;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, TenantData> tenants = new HashMap<>();
  private int spanCount;

  private final SpanConsumer spanConsumer = this::accept;
  private final TraceReader traceReader = new Reader();
  private final TraceSearch traceSearch = query -> read(query.tenant(), d -> d.search(query));
  private final ServiceNames serviceNames = new Names();
  private final AttributeNames attributeNames = new AttributeNamesImpl();
  private final DependencyReader dependencyReader = new Dependencies();

  private InMemorySpanStore(Builder builder) {
    this.maxSpans = builder.maxSpans;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A store with the default limits. */
  public static InMemorySpanStore create() {
    return builder().build();
  }

  @Override
  public Set<StorageCapability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spanConsumer;
  }

  @Override
  public TraceReader traceReader() {
    return traceReader;
  }

  @Override
  public TraceSearch traceSearch() {
    return traceSearch;
  }

  @Override
  public ServiceNames serviceNames() {
    return serviceNames;
  }

  @Override
  public AttributeNames attributeNames() {
    return attributeNames;
  }

  @Override
  public DependencyReader dependencyReader() {
    return dependencyReader;
  }

  /** The most spans kept. */
  public int maxSpans() {
    return maxSpans;
  }

  /** The number of spans stored, over all tenants. */
  public int spanCount() {
    lock.readLock().lock();
    try {
      return spanCount;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Forgets everything. */
  public void clear() {
    lock.writeLock().lock();
    try {
      tenants.clear();
      spanCount = 0;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void deleteBefore(long cutoffEpochNanos) {
    lock.writeLock().lock();
    try {
      for (TenantData data : tenants.values()) data.deleteBefore(cutoffEpochNanos);
      recount();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "InMemorySpanStore{maxSpans=" + maxSpans + ", spans=" + spanCount() + "}";
  }

  private void accept(String tenant, List<Span> spans) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(spans, "spans");
    if (spans.isEmpty()) return;
    lock.writeLock().lock();
    try {
      tenants.computeIfAbsent(tenant, k -> new TenantData()).accept(spans);
      recount();
      evictBeyondMaxSpans();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void recount() {
    int count = 0;
    for (TenantData data : tenants.values()) count += data.spanCount();
    spanCount = count;
    tenants.values().removeIf(TenantData::isEmpty);
  }

  /** Removes the oldest traces of any tenant until at most maxSpans remain. */
  private void evictBeyondMaxSpans() {
    while (spanCount > maxSpans) {
      TenantData oldestTenant = null;
      StoredTrace oldest = null;
      for (TenantData data : tenants.values()) {
        StoredTrace candidate = data.oldest();
        if (candidate != null && (oldest == null || candidate.start < oldest.start)) {
          oldest = candidate;
          oldestTenant = data;
        }
      }
      if (oldest == null) break;
      spanCount -= oldest.spanCount();
      oldestTenant.remove(oldest);
    }
    tenants.values().removeIf(TenantData::isEmpty);
  }

  private <T> List<T> read(String tenant, Function<TenantData, List<T>> question) {
    Objects.requireNonNull(tenant, "tenant");
    lock.readLock().lock();
    try {
      TenantData data = tenants.get(tenant);
      return data == null ? List.of() : List.copyOf(question.apply(data));
    } finally {
      lock.readLock().unlock();
    }
  }

  private final class Reader implements TraceReader {
    @Override
    public List<Span> getTrace(String tenant, TraceId traceId) {
      Objects.requireNonNull(traceId, "traceId");
      return read(tenant, d -> d.trace(traceId));
    }

    @Override
    public List<List<Span>> getTraces(String tenant, Collection<TraceId> traceIds) {
      Objects.requireNonNull(traceIds, "traceIds");
      return read(tenant, d -> {
        List<List<Span>> result = new ArrayList<>(traceIds.size());
        for (TraceId id : traceIds) {
          List<Span> trace = d.trace(id);
          if (!trace.isEmpty()) result.add(trace);
        }
        return result;
      });
    }
  }

  private final class Names implements ServiceNames {
    @Override
    public List<String> services(String tenant) {
      return read(tenant, TenantData::services);
    }

    @Override
    public List<Operation> operations(String tenant, String service, SpanKind kind) {
      Objects.requireNonNull(service, "service");
      return read(tenant, d -> d.operations(service, kind));
    }

    @Override
    public List<String> remoteServices(String tenant, String service) {
      Objects.requireNonNull(service, "service");
      return read(tenant, d -> d.remoteServices(service));
    }
  }

  private final class AttributeNamesImpl implements AttributeNames {
    @Override
    public List<String> keys(String tenant, String service) {
      return read(tenant, d -> d.keys(service));
    }

    @Override
    public List<String> values(String tenant, String key, String prefix, int limit) {
      Objects.requireNonNull(key, "key");
      if (limit < 1) throw new IllegalArgumentException("limit must be positive, was " + limit);
      String p = prefix == null ? "" : prefix;
      return read(tenant, d -> d.values(key, p, limit));
    }
  }

  private final class Dependencies implements DependencyReader {
    @Override
    public List<DependencyLink> dependencies(String tenant, long startEpochNanos,
        long endEpochNanos) {
      if (endEpochNanos < startEpochNanos) {
        throw new IllegalArgumentException("endEpochNanos is before startEpochNanos");
      }
      return read(tenant, d -> d.dependencies(startEpochNanos, endEpochNanos));
    }
  }

  /** Configures an {@link InMemorySpanStore}. */
  public static final class Builder {
    private int maxSpans = DEFAULT_MAX_SPANS;

    Builder() {}

    /** The most spans kept over all tenants; the oldest traces are evicted beyond it. */
    public Builder maxSpans(int maxSpans) {
      if (maxSpans < 1) throw new IllegalArgumentException("maxSpans must be positive, was " + maxSpans);
      this.maxSpans = maxSpans;
      return this;
    }

    public InMemorySpanStore build() {
      return new InMemorySpanStore(this);
    }
  }
}
