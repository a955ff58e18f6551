package dev.spanwise.model;

import java.util.Objects;

/** A timestamped event within a span (Jaeger's "log", Zipkin's "annotation"). */
public final class SpanEvent {
  private final long epochNanos;
  private final String name;
  private final Attributes attributes;
  private final int droppedAttributesCount;

  private SpanEvent(long epochNanos, String name, Attributes attributes, int dropped) {
    this.epochNanos = epochNanos;
    this.name = name;
    this.attributes = attributes;
    this.droppedAttributesCount = dropped;
  }

  public static SpanEvent of(long epochNanos, String name, Attributes attributes) {
    return of(epochNanos, name, attributes, 0);
  }

  public static SpanEvent of(
      long epochNanos, String name, Attributes attributes, int droppedAttributesCount) {
    return new SpanEvent(
        epochNanos,
        name == null ? "" : name,
        Objects.requireNonNull(attributes, "attributes"),
        droppedAttributesCount);
  }

  /** Nanoseconds since the Unix epoch. */
  public long epochNanos() {
    return epochNanos;
  }

  public String name() {
    return name;
  }

  public Attributes attributes() {
    return attributes;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SpanEvent)) return false;
    SpanEvent that = (SpanEvent) o;
    return epochNanos == that.epochNanos && name.equals(that.name)
        && attributes.equals(that.attributes)
        && droppedAttributesCount == that.droppedAttributesCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(epochNanos, name, attributes, droppedAttributesCount);
  }

  @Override
  public String toString() {
    return "SpanEvent{" + epochNanos + " " + name + " " + attributes + "}";
  }
}
