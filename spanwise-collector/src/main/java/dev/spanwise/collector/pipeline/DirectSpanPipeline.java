package dev.spanwise.collector.pipeline;

import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.model.Span;
import dev.spanwise.storage.SpanStore;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pipeline without a log: {@link #write} hands the spans straight to the store's {@code
 * spanConsumer()} (and, if asked, flushes it), completing when the store returns. Durable only as
 * far as the store's own write is; for tests, benchmarks and stores that commit on write.
 *
 * <p>By default the write runs on the caller's thread; give an executor to keep a blocking store
 * off an event loop. The store stays the caller's to close.
 */
public final class DirectSpanPipeline implements SpanPipeline {
  private final SpanStore store;
  private final Executor executor;
  private final boolean flushEachWrite;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DirectSpanPipeline(Builder b) {
    this.store = b.store;
    this.executor = b.executor;
    this.flushEachWrite = b.flushEachWrite;
  }

  /** Writes on the caller's thread, without flushing. */
  public static DirectSpanPipeline create(SpanStore store) {
    return builder(store).build();
  }

  public static Builder builder(SpanStore store) {
    return new Builder(store);
  }

  @Override
  public CompletableFuture<Void> write(String tenant, List<Span> spans) {
    if (tenant == null || spans == null) {
      return CompletableFuture.failedFuture(
          new NullPointerException(tenant == null ? "tenant" : "spans"));
    }
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("span pipeline is closed"));
    }
    if (executor == null) {
      try {
        writeNow(tenant, spans);
        return CompletableFuture.completedFuture(null);
      } catch (IOException | RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          writeNow(tenant, spans);
          result.complete(null);
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RuntimeException rejected) {
      result.completeExceptionally(rejected);
    }
    return result;
  }

  private void writeNow(String tenant, List<Span> spans) throws IOException {
    if (spans.isEmpty()) {
      return;
    }
    store.spanConsumer().accept(tenant, spans);
    if (flushEachWrite) {
      store.flush();
    }
  }

  @Override
  public void close() {
    closed.set(true);
  }

  public static final class Builder {
    private final SpanStore store;
    private Executor executor;
    private boolean flushEachWrite;

    private Builder(SpanStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Where writes run; by default the caller's thread. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Flush the store after every write, so spans are searchable at once (default false). */
    public Builder flushEachWrite(boolean flushEachWrite) {
      this.flushEachWrite = flushEachWrite;
      return this;
    }

    public DirectSpanPipeline build() {
      return new DirectSpanPipeline(this);
    }
  }
}
