package dev.spanwise.opentracing;

import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Span;
import io.opentracing.Scope;
import io.opentracing.ScopeManager;

/** Keeps the OpenTracing active span in the tracer's own thread-local context. */
final class OtScopeManager implements ScopeManager {

  @Override
  public Scope activate(io.opentracing.Span span) {
    OtSpan otSpan = SpanwiseOpenTracer.unwrap(span);
    if (otSpan == null) {
      return () -> {};
    }
    dev.spanwise.tracer.Scope scope = otSpan.bridge.makeCurrent();
    return scope::close;
  }

  @Override
  public io.opentracing.Span activeSpan() {
    Context current = Context.current();
    if (!current.hasSpan()) {
      return null;
    }
    Span span = current.span();
    if (span instanceof BridgeSpan) {
      return ((BridgeSpan) span).owner;
    }
    return new OtSpan(span, current.baggage());
  }
}
