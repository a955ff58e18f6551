package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.AttributeValues;
import dev.spanwise.tracer.internal.StackTraces;

/**
 * A timestamped annotation on a span (an OpenTracing log). Immutable as seen from outside: the
 * {@code exception.stacktrace} of an event made by {@link Span#recordException} is rendered when
 * its attributes are first read (normally on the exporter's thread), not on the application
 * thread that recorded it. Only this file can extend it (private constructor).
 */
public class Event {
  private final String name;
  private final long epochNanos;
  final Attributes attributes;
  private final int droppedAttributesCount;

  private Event(String name, long epochNanos, Attributes attributes, int droppedAttributesCount) {
    this.name = name;
    this.epochNanos = epochNanos;
    this.attributes = attributes;
    this.droppedAttributesCount = droppedAttributesCount;
  }

  public static Event create(String name, long epochNanos, Attributes attributes, int droppedAttributesCount) {
    return new Event(name, epochNanos, attributes, droppedAttributesCount);
  }

  /**
   * An event whose {@code exception.stacktrace} attribute, the stack trace of {@code exception}
   * cut to {@code maxValueLength}, is added to {@code attributes} when first read.
   */
  public static Event withStackTrace(String name, long epochNanos, Attributes attributes,
      int droppedAttributesCount, Throwable exception, int maxValueLength) {
    return new WithStackTrace(name, epochNanos, attributes, droppedAttributesCount, exception, maxValueLength);
  }

  private static final class WithStackTrace extends Event {
    private final int maxValueLength;
    private volatile Throwable pending;
    private volatile Attributes rendered;

    WithStackTrace(String name, long epochNanos, Attributes attributes, int dropped,
        Throwable pending, int maxValueLength) {
      super(name, epochNanos, attributes, dropped);
      this.pending = pending;
      this.maxValueLength = maxValueLength;
    }

    @Override
    public Attributes attributes() {
      Attributes r = rendered;
      if (r != null) {
        return r;
      }
      Throwable t = pending;
      if (t == null) {
        return rendered;
      }
      String stackTrace = (String) AttributeValues.truncate(StackTraces.render(t), maxValueLength);
      r = Attributes.builder().putAll(attributes).put("exception.stacktrace", stackTrace).build();
      rendered = r;
      pending = null;
      return r;
    }
  }

  public String name() {
    return name;
  }

  public long epochNanos() {
    return epochNanos;
  }

  public Attributes attributes() {
    return attributes;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  @Override
  public String toString() {
    return "Event{" + name + " @" + epochNanos + " " + attributes() + "}";
  }
}
