package dev.spanwise.collector.pipeline;

import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeNames;
import dev.spanwise.storage.DependencyReader;
import dev.spanwise.storage.ServiceNames;
import dev.spanwise.storage.SpanConsumer;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceReader;
import dev.spanwise.storage.TraceSearch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that keeps spans by (tenant, trace id, span id, kind), idempotently like real backends,
 * makes them readable only on {@link #flush()}, and can be told to fail.
 */
final class FakeSpanStore implements SpanStore {
  private final Map<String, Span> accepted = new LinkedHashMap<>();
  private final Map<String, Span> visible = new LinkedHashMap<>();
  final AtomicInteger acceptCalls = new AtomicInteger();
  final AtomicInteger flushCalls = new AtomicInteger();
  /** While positive, accept fails with an IOException (counting down). */
  final AtomicInteger failAccepts = new AtomicInteger();
  /** While set, accept fails with this IOException every time (a store that is down). */
  volatile boolean down;
  /** A write holding a span of this trace fails with an IllegalArgumentException (bad data). */
  volatile TraceId refusedTrace;
  /** The most spans one accept call has been given. */
  final AtomicInteger largestAccept = new AtomicInteger();

  @Override
  public Set<StorageCapability> capabilities() {
    return EnumSet.noneOf(StorageCapability.class);
  }

  @Override
  public SpanConsumer spanConsumer() {
    return this::accept;
  }

  private void accept(String tenant, List<Span> spans) throws IOException {
    acceptCalls.incrementAndGet();
    if (down) {
      throw new IOException("store is down");
    }
    if (failAccepts.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      throw new IOException("transient store failure");
    }
    TraceId refused = refusedTrace;
    if (refused != null && spans.stream().anyMatch(s -> s.traceId().equals(refused))) {
      throw new IllegalArgumentException("the store refuses trace " + refused);
    }
    largestAccept.accumulateAndGet(spans.size(), Math::max);
    synchronized (this) {
      for (Span span : spans) {
        accepted.put(tenant + "/" + span.traceId() + "/" + span.spanId() + "/" + span.kind(), span);
      }
    }
  }

  @Override
  public synchronized void flush() {
    flushCalls.incrementAndGet();
    visible.putAll(accepted);
  }

  /** Every span accepted, in the order the store first took it. */
  synchronized List<Span> acceptedInOrder() {
    return new ArrayList<>(accepted.values());
  }

  /** Spans made visible by a flush. */
  synchronized int visibleSpans() {
    return visible.size();
  }

  @Override
  public TraceReader traceReader() {
    return this::getTrace;
  }

  private synchronized List<Span> getTrace(String tenant, TraceId traceId) {
    List<Span> trace = new ArrayList<>();
    String prefix = tenant + "/" + traceId + "/";
    visible.forEach((key, span) -> {
      if (key.startsWith(prefix)) {
        trace.add(span);
      }
    });
    return trace;
  }

  @Override
  public TraceSearch traceSearch() {
    throw new UnsupportedOperationException();
  }

  @Override
  public ServiceNames serviceNames() {
    throw new UnsupportedOperationException();
  }

  @Override
  public AttributeNames attributeNames() {
    throw new UnsupportedOperationException();
  }

  @Override
  public DependencyReader dependencyReader() {
    throw new UnsupportedOperationException();
  }
}
