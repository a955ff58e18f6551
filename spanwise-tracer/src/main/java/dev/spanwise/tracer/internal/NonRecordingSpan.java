package dev.spanwise.tracer.internal;

import dev.spanwise.tracer.SpanContext;

/** A span that records nothing: unsampled spans and remote parents. */
public final class NonRecordingSpan extends AbstractNonRecordingSpan {
  public static final NonRecordingSpan INVALID = new NonRecordingSpan(SpanContext.invalid());

  private final SpanContext context;

  public NonRecordingSpan(SpanContext context) {
    this.context = context;
  }

  @Override
  public SpanContext context() {
    return context;
  }

  @Override
  public String toString() {
    return "NonRecordingSpan{" + context + "}";
  }
}
