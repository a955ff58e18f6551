package dev.spanwise.tracer.internal;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.TraceState;

/**
 * A span the sampler dropped. It records nothing and holds its ids as primitives, building its
 * {@link SpanContext} only when asked (for propagation or a child), so that a dropped span that
 * nobody inspects costs no allocation once the JIT has inlined its creation.
 */
public final class UnsampledSpan extends AbstractNonRecordingSpan {
  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final TraceState traceState;
  private SpanContext context; // built lazily; racy but benign (immutable value)

  public UnsampledSpan(long traceIdHigh, long traceIdLow, long spanId, TraceState traceState) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.traceState = traceState;
  }

  @Override
  public SpanContext context() {
    SpanContext c = context;
    if (c == null) {
      c = SpanContext.create(traceIdHigh, traceIdLow, spanId, (byte) 0, traceState);
      context = c;
    }
    return c;
  }

  @Override
  public String toString() {
    return "UnsampledSpan{" + context() + "}";
  }
}
