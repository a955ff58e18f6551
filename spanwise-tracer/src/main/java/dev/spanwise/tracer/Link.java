package dev.spanwise.tracer;

/** A reference from a span to another span, possibly in another trace. Immutable. */
public final class Link {
  private final SpanContext spanContext;
  private final Attributes attributes;
  private final int droppedAttributesCount;

  public Link(SpanContext spanContext, Attributes attributes, int droppedAttributesCount) {
    this.spanContext = spanContext;
    this.attributes = attributes;
    this.droppedAttributesCount = droppedAttributesCount;
  }

  public SpanContext spanContext() {
    return spanContext;
  }

  public Attributes attributes() {
    return attributes;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  @Override
  public String toString() {
    return "Link{" + spanContext + " " + attributes + "}";
  }
}
