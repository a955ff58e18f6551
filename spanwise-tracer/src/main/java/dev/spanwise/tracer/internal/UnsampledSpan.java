package dev.spanwise.tracer.internal;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.TraceState;

/**
 * A span the sampler dropped. It records nothing and holds its ids as primitives, building its
 * {@link SpanContext} only when asked (for propagation or a child), so that a dropped span that
 * nobody inspects costs no allocation once the JIT has inlined its creation.
 */
public final class UnsampledSpan implements Span {
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
  public boolean isRecording() {
    return false;
  }

  @Override
  public Span setAttribute(String key, String value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, long value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, double value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, String[] values) {
    return this;
  }

  @Override
  public Span setAttribute(String key, long[] values) {
    return this;
  }

  @Override
  public Span setAttribute(String key, double[] values) {
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean[] values) {
    return this;
  }

  @Override
  public Span setAllAttributes(Attributes attributes) {
    return this;
  }

  @Override
  public Span addEvent(String name) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long epochNanos) {
    return this;
  }

  @Override
  public Span addLink(SpanContext context, Attributes attributes) {
    return this;
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    return this;
  }

  @Override
  public Span recordException(Throwable exception) {
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    return this;
  }

  @Override
  public Span updateName(String name) {
    return this;
  }

  @Override
  public void end() {}

  @Override
  public void end(long epochNanos) {}

  @Override
  public String toString() {
    return "UnsampledSpan{" + context() + "}";
  }
}
