package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.AttributeValues;
import dev.spanwise.tracer.internal.StackTraces;

/**
 * A timestamped annotation on a span (an OpenTracing log). Immutable as seen from outside: the
 * {@code exception.stacktrace} of an event made by {@link Span#recordException} is rendered when
 * its attributes are first read (normally on the exporter's thread), not on the application
 * thread that recorded it.
 */
public final class Event {
  private final String name;
  private final long epochNanos;
  private final Attributes attributes;
  private final int droppedAttributesCount;
  private final int maxValueLength;
  private volatile Throwable pendingStackTrace;
  private volatile Attributes rendered;

  public Event(String name, long epochNanos, Attributes attributes, int droppedAttributesCount) {
    this(name, epochNanos, attributes, droppedAttributesCount, null, Integer.MAX_VALUE);
  }

  private Event(String name, long epochNanos, Attributes attributes, int droppedAttributesCount,
      Throwable pendingStackTrace, int maxValueLength) {
    this.name = name;
    this.epochNanos = epochNanos;
    this.attributes = attributes;
    this.droppedAttributesCount = droppedAttributesCount;
    this.pendingStackTrace = pendingStackTrace;
    this.maxValueLength = maxValueLength;
  }

  /**
   * An event whose {@code exception.stacktrace} attribute, the stack trace of {@code exception}
   * cut to {@code maxValueLength}, is added to {@code attributes} when first read.
   */
  public static Event withStackTrace(String name, long epochNanos, Attributes attributes,
      int droppedAttributesCount, Throwable exception, int maxValueLength) {
    return new Event(name, epochNanos, attributes, droppedAttributesCount, exception, maxValueLength);
  }

  public String name() {
    return name;
  }

  public long epochNanos() {
    return epochNanos;
  }

  public Attributes attributes() {
    Attributes r = rendered;
    if (r != null) {
      return r;
    }
    Throwable pending = pendingStackTrace;
    if (pending == null) {
      return attributes;
    }
    String stackTrace = (String) AttributeValues.truncate(StackTraces.render(pending), maxValueLength);
    r = Attributes.builder().putAll(attributes).put("exception.stacktrace", stackTrace).build();
    rendered = r;
    pendingStackTrace = null;
    return r;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  @Override
  public String toString() {
    return "Event{" + name + " @" + epochNanos + " " + attributes + "}";
  }
}
