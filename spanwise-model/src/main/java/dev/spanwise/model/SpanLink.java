package dev.spanwise.model;

import java.util.Objects;

/**
 * A link to another span, in this trace or another (a batch consumer's inputs; Jaeger's
 * FOLLOWS_FROM reference).
 */
public final class SpanLink {
  private final TraceId traceId;
  private final long spanId;
  private final String traceState;
  private final Attributes attributes;
  private final int droppedAttributesCount;
  private final int flags;

  private SpanLink(
      TraceId traceId, long spanId, String traceState, Attributes attributes, int dropped,
      int flags) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.traceState = traceState;
    this.attributes = attributes;
    this.droppedAttributesCount = dropped;
    this.flags = flags;
  }

  public static SpanLink of(TraceId traceId, long spanId) {
    return of(traceId, spanId, "", Attributes.EMPTY, 0, 0);
  }

  public static SpanLink of(TraceId traceId, long spanId, Attributes attributes) {
    return of(traceId, spanId, "", attributes, 0, 0);
  }

  public static SpanLink of(
      TraceId traceId, long spanId, String traceState, Attributes attributes,
      int droppedAttributesCount, int flags) {
    return new SpanLink(
        Objects.requireNonNull(traceId, "traceId"),
        spanId,
        traceState == null ? "" : traceState,
        Objects.requireNonNull(attributes, "attributes"),
        droppedAttributesCount,
        flags);
  }

  public TraceId traceId() {
    return traceId;
  }

  public long spanId() {
    return spanId;
  }

  public String traceState() {
    return traceState;
  }

  public Attributes attributes() {
    return attributes;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  /** W3C trace flags and OTLP's link flags, as sent. */
  public int flags() {
    return flags;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SpanLink)) return false;
    SpanLink that = (SpanLink) o;
    return traceId.equals(that.traceId) && spanId == that.spanId
        && traceState.equals(that.traceState) && attributes.equals(that.attributes)
        && droppedAttributesCount == that.droppedAttributesCount && flags == that.flags;
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceId, spanId, traceState, attributes, droppedAttributesCount, flags);
  }

  @Override
  public String toString() {
    return "SpanLink{" + traceId + "/" + SpanId.toHex(spanId) + "}";
  }
}
