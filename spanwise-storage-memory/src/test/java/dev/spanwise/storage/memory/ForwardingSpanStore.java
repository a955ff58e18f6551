package dev.spanwise.storage.memory;

import dev.spanwise.storage.AttributeNames;
import dev.spanwise.storage.DependencyReader;
import dev.spanwise.storage.ServiceNames;
import dev.spanwise.storage.SpanConsumer;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceReader;
import dev.spanwise.storage.TraceSearch;
import java.io.IOException;
import java.util.Set;

/** Forwards every part to another store; tests override parts to limit or break it. */
class ForwardingSpanStore implements SpanStore {
  final SpanStore delegate;

  ForwardingSpanStore(SpanStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Set<StorageCapability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public SpanConsumer spanConsumer() {
    return delegate.spanConsumer();
  }

  @Override
  public TraceReader traceReader() {
    return delegate.traceReader();
  }

  @Override
  public TraceSearch traceSearch() {
    return delegate.traceSearch();
  }

  @Override
  public ServiceNames serviceNames() {
    return delegate.serviceNames();
  }

  @Override
  public AttributeNames attributeNames() {
    return delegate.attributeNames();
  }

  @Override
  public DependencyReader dependencyReader() {
    return delegate.dependencyReader();
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
  }

  @Override
  public void deleteBefore(long cutoffEpochNanos) throws IOException {
    delegate.deleteBefore(cutoffEpochNanos);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
