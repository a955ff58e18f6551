package dev.spanwise.server;

import dev.spanwise.collector.OverloadedException;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.model.Span;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The pipeline the receivers write to: the durable one, and once a batch is durable, an observer
 * (adaptive sampling counts the traces it sees). Both write methods are forwarded, so received
 * OTLP bytes still reach the write-ahead log as they are. Closing it does not close the durable
 * pipeline, which the all-in-one closes in its own order.
 */
final class ObservedSpanPipeline implements SpanPipeline {
  private final SpanPipeline delegate;
  private final Consumer<List<Span>> observer;

  ObservedSpanPipeline(SpanPipeline delegate, Consumer<List<Span>> observer) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public CompletableFuture<Void> write(String tenant, List<Span> spans) {
    return observeWhenDurable(delegate.write(tenant, spans), spans);
  }

  @Override
  public CompletableFuture<Void> write(String tenant, List<Span> spans, byte[] otlpTracesData) {
    return observeWhenDurable(delegate.write(tenant, spans, otlpTracesData), spans);
  }

  @Override
  public OverloadedException refusal() {
    return delegate.refusal();
  }

  private CompletableFuture<Void> observeWhenDurable(
      CompletableFuture<Void> written, List<Span> spans) {
    written.thenRun(() -> observer.accept(spans));
    return written; // the receiver's answer does not wait for the observer
  }
}
