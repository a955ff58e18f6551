package dev.spanwise.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One unit of work in a trace, with OTLP semantics: nanosecond times, 128-bit trace id, the
 * resource (service) and instrumentation scope that produced it, typed attributes, events, links
 * and status. Immutable; build with {@link #builder()}.
 *
 * <p>Identity within storage is ({@link #traceId()}, {@link #spanId()}); a Zipkin RPC whose client
 * and server sides share a span id is disambiguated by {@link #kind()} when stored.
 */
public final class Span {
  private final Resource resource;
  private final InstrumentationScope scope;
  private final TraceId traceId;
  private final long spanId;
  private final long parentSpanId;
  private final String traceState;
  private final String name;
  private final SpanKind kind;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final Attributes attributes;
  private final List<SpanEvent> events;
  private final List<SpanLink> links;
  private final Status status;
  private final int flags;
  private final int droppedAttributesCount;
  private final int droppedEventsCount;
  private final int droppedLinksCount;

  private Span(Builder b) {
    this.resource = b.resource;
    this.scope = b.scope;
    this.traceId = b.traceId;
    this.spanId = b.spanId;
    this.parentSpanId = b.parentSpanId;
    this.traceState = b.traceState;
    this.name = b.name;
    this.kind = b.kind;
    this.startEpochNanos = b.startEpochNanos;
    this.endEpochNanos = b.endEpochNanos;
    this.attributes = b.attributes;
    this.events = b.events.isEmpty()
        ? Collections.emptyList()
        : Collections.unmodifiableList(new ArrayList<>(b.events));
    this.links = b.links.isEmpty()
        ? Collections.emptyList()
        : Collections.unmodifiableList(new ArrayList<>(b.links));
    this.status = b.status;
    this.flags = b.flags;
    this.droppedAttributesCount = b.droppedAttributesCount;
    this.droppedEventsCount = b.droppedEventsCount;
    this.droppedLinksCount = b.droppedLinksCount;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public Resource resource() {
    return resource;
  }

  /** {@code service.name} of the resource, or {@value Resource#UNKNOWN_SERVICE}. */
  public String serviceName() {
    return resource.serviceName();
  }

  public InstrumentationScope scope() {
    return scope;
  }

  public TraceId traceId() {
    return traceId;
  }

  public long spanId() {
    return spanId;
  }

  /** The parent's span id, or {@link SpanId#INVALID} (0) for a root span. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public boolean isRoot() {
    return parentSpanId == SpanId.INVALID;
  }

  /** W3C tracestate as received; empty when absent. */
  public String traceState() {
    return traceState;
  }

  /** The operation name. */
  public String name() {
    return name;
  }

  public SpanKind kind() {
    return kind;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  /** End minus start, never negative. */
  public long durationNanos() {
    return Math.max(0, endEpochNanos - startEpochNanos);
  }

  public Attributes attributes() {
    return attributes;
  }

  public List<SpanEvent> events() {
    return events;
  }

  public List<SpanLink> links() {
    return links;
  }

  public Status status() {
    return status;
  }

  public boolean isError() {
    return status.isError();
  }

  /** W3C trace flags in the low byte (bit 0: sampled), as OTLP's {@code Span.flags}. */
  public int flags() {
    return flags;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  public int droppedEventsCount() {
    return droppedEventsCount;
  }

  public int droppedLinksCount() {
    return droppedLinksCount;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Span)) return false;
    Span that = (Span) o;
    return spanId == that.spanId
        && parentSpanId == that.parentSpanId
        && startEpochNanos == that.startEpochNanos
        && endEpochNanos == that.endEpochNanos
        && flags == that.flags
        && droppedAttributesCount == that.droppedAttributesCount
        && droppedEventsCount == that.droppedEventsCount
        && droppedLinksCount == that.droppedLinksCount
        && traceId.equals(that.traceId)
        && kind == that.kind
        && name.equals(that.name)
        && traceState.equals(that.traceState)
        && resource.equals(that.resource)
        && scope.equals(that.scope)
        && attributes.equals(that.attributes)
        && events.equals(that.events)
        && links.equals(that.links)
        && status.equals(that.status);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceId, spanId, kind, startEpochNanos, name);
  }

  @Override
  public String toString() {
    return "Span{" + traceId + "/" + SpanId.toHex(spanId)
        + (isRoot() ? "" : " parent=" + SpanId.toHex(parentSpanId))
        + " " + serviceName() + " " + name + " " + kind
        + " " + durationNanos() + "ns " + status + "}";
  }

  /**
   * Builds a {@link Span}. {@link #build()} throws naming the field when the trace id or span id
   * is invalid or the end precedes the start.
   */
  public static final class Builder {
    private Resource resource = Resource.EMPTY;
    private InstrumentationScope scope = InstrumentationScope.EMPTY;
    private TraceId traceId = TraceId.INVALID;
    private long spanId;
    private long parentSpanId;
    private String traceState = "";
    private String name = "";
    private SpanKind kind = SpanKind.UNSPECIFIED;
    private long startEpochNanos;
    private long endEpochNanos;
    private Attributes attributes = Attributes.EMPTY;
    private final List<SpanEvent> events = new ArrayList<>(2);
    private final List<SpanLink> links = new ArrayList<>(0);
    private Status status = Status.UNSET;
    private int flags;
    private int droppedAttributesCount;
    private int droppedEventsCount;
    private int droppedLinksCount;

    Builder() {}

    Builder(Span s) {
      resource = s.resource;
      scope = s.scope;
      traceId = s.traceId;
      spanId = s.spanId;
      parentSpanId = s.parentSpanId;
      traceState = s.traceState;
      name = s.name;
      kind = s.kind;
      startEpochNanos = s.startEpochNanos;
      endEpochNanos = s.endEpochNanos;
      attributes = s.attributes;
      events.addAll(s.events);
      links.addAll(s.links);
      status = s.status;
      flags = s.flags;
      droppedAttributesCount = s.droppedAttributesCount;
      droppedEventsCount = s.droppedEventsCount;
      droppedLinksCount = s.droppedLinksCount;
    }

    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    public Builder scope(InstrumentationScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    public Builder traceId(TraceId traceId) {
      this.traceId = Objects.requireNonNull(traceId, "traceId");
      return this;
    }

    public Builder spanId(long spanId) {
      this.spanId = spanId;
      return this;
    }

    public Builder parentSpanId(long parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    public Builder traceState(String traceState) {
      this.traceState = traceState == null ? "" : traceState;
      return this;
    }

    public Builder name(String name) {
      this.name = name == null ? "" : name;
      return this;
    }

    public Builder kind(SpanKind kind) {
      this.kind = kind == null ? SpanKind.UNSPECIFIED : kind;
      return this;
    }

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder endEpochNanos(long endEpochNanos) {
      this.endEpochNanos = endEpochNanos;
      return this;
    }

    public Builder attributes(Attributes attributes) {
      this.attributes = Objects.requireNonNull(attributes, "attributes");
      return this;
    }

    public Builder addEvent(SpanEvent event) {
      events.add(Objects.requireNonNull(event, "event"));
      return this;
    }

    public Builder events(List<SpanEvent> events) {
      this.events.clear();
      for (SpanEvent e : events) addEvent(e);
      return this;
    }

    public Builder addLink(SpanLink link) {
      links.add(Objects.requireNonNull(link, "link"));
      return this;
    }

    public Builder links(List<SpanLink> links) {
      this.links.clear();
      for (SpanLink l : links) addLink(l);
      return this;
    }

    public Builder status(Status status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    public Builder droppedAttributesCount(int count) {
      this.droppedAttributesCount = count;
      return this;
    }

    public Builder droppedEventsCount(int count) {
      this.droppedEventsCount = count;
      return this;
    }

    public Builder droppedLinksCount(int count) {
      this.droppedLinksCount = count;
      return this;
    }

    public TraceId traceId() {
      return traceId;
    }

    public long spanId() {
      return spanId;
    }

    /**
     * @throws IllegalArgumentException naming the field: {@code traceId} or {@code spanId} invalid
     *     (all zero), {@code endTimeUnixNano} before {@code startTimeUnixNano}
     */
    public Span build() {
      if (!traceId.isValid()) throw new IllegalArgumentException("traceId must not be all zero");
      if (spanId == 0) throw new IllegalArgumentException("spanId must not be all zero");
      if (endEpochNanos < startEpochNanos) {
        throw new IllegalArgumentException(
            "endTimeUnixNano (" + endEpochNanos + ") is before startTimeUnixNano ("
                + startEpochNanos + ")");
      }
      return new Span(this);
    }
  }
}
