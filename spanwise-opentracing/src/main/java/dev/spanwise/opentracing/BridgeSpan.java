package dev.spanwise.opentracing;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.StatusCode;

/**
 * Our span interface over an {@link OtSpan}, so that the OpenTracing active span is the current
 * span of our API too (and the OpenTracing wrapper, with its baggage, can be found again).
 */
final class BridgeSpan implements Span {
  final OtSpan owner;

  BridgeSpan(OtSpan owner) {
    this.owner = owner;
  }

  private Span d() {
    return owner.delegate;
  }

  @Override
  public SpanContext context() {
    return d().context();
  }

  @Override
  public boolean isRecording() {
    return d().isRecording();
  }

  @Override
  public Span setAttribute(String key, String value) {
    d().setAttribute(key, value);
    return this;
  }

  @Override
  public Span setAttribute(String key, long value) {
    d().setAttribute(key, value);
    return this;
  }

  @Override
  public Span setAttribute(String key, double value) {
    d().setAttribute(key, value);
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    d().setAttribute(key, value);
    return this;
  }

  @Override
  public Span setAttribute(String key, String[] values) {
    d().setAttribute(key, values);
    return this;
  }

  @Override
  public Span setAttribute(String key, long[] values) {
    d().setAttribute(key, values);
    return this;
  }

  @Override
  public Span setAttribute(String key, double[] values) {
    d().setAttribute(key, values);
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean[] values) {
    d().setAttribute(key, values);
    return this;
  }

  @Override
  public Span setAllAttributes(Attributes attributes) {
    d().setAllAttributes(attributes);
    return this;
  }

  @Override
  public Span addEvent(String name) {
    d().addEvent(name);
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    d().addEvent(name, attributes);
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long epochNanos) {
    d().addEvent(name, attributes, epochNanos);
    return this;
  }

  @Override
  public Span addLink(SpanContext context, Attributes attributes) {
    d().addLink(context, attributes);
    return this;
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    d().setStatus(code, description);
    return this;
  }

  @Override
  public Span recordException(Throwable exception) {
    d().recordException(exception);
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    d().recordException(exception, additionalAttributes);
    return this;
  }

  @Override
  public Span updateName(String name) {
    d().updateName(name);
    return this;
  }

  @Override
  public void end() {
    d().end();
  }

  @Override
  public void end(long epochNanos) {
    d().end(epochNanos);
  }

  @Override
  public Scope makeCurrent() {
    return Context.current().with(this).with(owner.baggage()).makeCurrent();
  }

  @Override
  public String toString() {
    return "BridgeSpan{" + d() + "}";
  }
}
