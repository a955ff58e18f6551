package dev.spanwise.tracer;

/** A timestamped annotation on a span (an OpenTracing log). Immutable. */
public final class Event {
  private final String name;
  private final long epochNanos;
  private final Attributes attributes;
  private final int droppedAttributesCount;

  public Event(String name, long epochNanos, Attributes attributes, int droppedAttributesCount) {
    this.name = name;
    this.epochNanos = epochNanos;
    this.attributes = attributes;
    this.droppedAttributesCount = droppedAttributesCount;
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
    return "Event{" + name + " @" + epochNanos + " " + attributes + "}";
  }
}
