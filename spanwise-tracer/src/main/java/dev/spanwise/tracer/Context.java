package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.ContextStorage;
import dev.spanwise.tracer.internal.ContextWrappingExecutorService;
import dev.spanwise.tracer.internal.NonRecordingSpan;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * What travels with a unit of work: the current span and the baggage. Immutable; the current
 * context of a thread is set with {@link #makeCurrent()} and carried to other threads with the
 * {@code wrap} methods (which work for platform and virtual threads alike).
 */
public final class Context {
  private static final Context ROOT = new Context(null, Baggage.empty());

  // a Span, a SpanContext (an extracted remote parent, wrapped only when asked), or null
  private final Object span;
  private final Baggage baggage;

  private Context(Object span, Baggage baggage) {
    this.span = span;
    this.baggage = baggage;
  }

  /** The empty context: no span, no baggage. */
  public static Context root() {
    return ROOT;
  }

  /** The context current on this thread. */
  public static Context current() {
    return ContextStorage.current();
  }

  /** The span, or an invalid non-recording span when there is none. */
  public Span span() {
    if (span instanceof Span) {
      return (Span) span;
    }
    if (span instanceof SpanContext) {
      return Span.wrap((SpanContext) span);
    }
    return NonRecordingSpan.INVALID;
  }

  /** The span's context, {@link SpanContext#invalid()} when there is none. */
  public SpanContext spanContext() {
    if (span instanceof Span) {
      return ((Span) span).context();
    }
    if (span instanceof SpanContext) {
      return (SpanContext) span;
    }
    return SpanContext.invalid();
  }

  /** True when this context holds a span with a valid context. */
  public boolean hasSpan() {
    return spanContext().isValid();
  }

  public Baggage baggage() {
    return baggage;
  }

  /** This context with {@code span} (null for none). */
  public Context with(Span span) {
    return new Context(span, baggage);
  }

  /**
   * This context with the non-recording span of {@code spanContext}, typically a remote parent
   * just extracted from a carrier.
   */
  public Context with(SpanContext spanContext) {
    return new Context(spanContext, baggage);
  }

  public Context with(Baggage baggage) {
    return new Context(span, Objects.requireNonNull(baggage, "baggage"));
  }

  /** Makes this context current on this thread until the scope closes. */
  public Scope makeCurrent() {
    return ContextStorage.attach(span == null ? null : span(), baggage);
  }

  /** A runnable that runs {@code task} with this context current. */
  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (Scope ignored = makeCurrent()) {
        task.run();
      }
    };
  }

  /** A callable that runs {@code task} with this context current. */
  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (Scope ignored = makeCurrent()) {
        return task.call();
      }
    };
  }

  /** An executor that runs each task with the context current when it was submitted. */
  public static Executor taskWrapping(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(Context.current().wrap(task));
  }

  /** An executor service that runs each task with the context current when it was submitted. */
  public static ExecutorService taskWrapping(ExecutorService executor) {
    return new ContextWrappingExecutorService(Objects.requireNonNull(executor, "executor"));
  }

  @Override
  public String toString() {
    return "Context{span=" + (span == null ? "none" : spanContext()) + ", " + baggage + "}";
  }
}
