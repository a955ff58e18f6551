package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.ContextStorage;
import dev.spanwise.tracer.internal.NonRecordingSpan;

/**
 * A unit of work in a trace. Recording methods never throw: misuse (null keys, calls after
 * {@link #end()}) is ignored. A span that is not sampled is a cheap non-recording span that still
 * carries its {@link SpanContext} for propagation.
 */
public interface Span {

  /** The current span, or an invalid non-recording span when there is none. */
  static Span current() {
    Span span = ContextStorage.currentSpan();
    return span == null ? NonRecordingSpan.INVALID : span;
  }

  /** A non-recording span carrying {@code context}: a remote parent, or a context to propagate. */
  static Span wrap(SpanContext context) {
    return context == null || !context.isValid() ? NonRecordingSpan.INVALID : new NonRecordingSpan(context);
  }

  /** The non-recording span of the invalid context. */
  static Span invalid() {
    return NonRecordingSpan.INVALID;
  }

  SpanContext context();

  /** True when calls record data (the span was sampled, or recorded only). */
  boolean isRecording();

  Span setAttribute(String key, String value);

  Span setAttribute(String key, long value);

  Span setAttribute(String key, double value);

  Span setAttribute(String key, boolean value);

  Span setAttribute(String key, String[] values);

  Span setAttribute(String key, long[] values);

  Span setAttribute(String key, double[] values);

  Span setAttribute(String key, boolean[] values);

  /** Sets each of {@code attributes}. */
  Span setAllAttributes(Attributes attributes);

  Span addEvent(String name);

  Span addEvent(String name, Attributes attributes);

  /** An event at an explicit time (nanoseconds since the epoch). */
  Span addEvent(String name, Attributes attributes, long epochNanos);

  /** Adds a link after the start (prefer {@link SpanBuilder#addLink}, which samplers can see). */
  Span addLink(SpanContext context, Attributes attributes);

  /** OK is final; ERROR keeps {@code description}; OK and UNSET ignore the description. */
  Span setStatus(StatusCode code, String description);

  /** Shorthand for {@code setStatus(StatusCode.ERROR, message)}. */
  default Span setError(String message) {
    return setStatus(StatusCode.ERROR, message);
  }

  /**
   * Adds an {@code exception} event with {@code exception.type}, {@code exception.message} and
   * {@code exception.stacktrace}. Does not set the status.
   */
  Span recordException(Throwable exception);

  Span recordException(Throwable exception, Attributes additionalAttributes);

  Span updateName(String name);

  /** Ends the span now. Later calls are ignored. */
  void end();

  /** Ends the span at an explicit time (nanoseconds since the epoch). */
  void end(long epochNanos);

  /** Makes this span current (keeping the current baggage) until the scope closes. */
  default Scope makeCurrent() {
    return ContextStorage.attach(this, ContextStorage.currentBaggage());
  }
}
