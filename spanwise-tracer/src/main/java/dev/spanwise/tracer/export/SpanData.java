package dev.spanwise.tracer.export;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Event;
import dev.spanwise.tracer.InstrumentationScope;
import dev.spanwise.tracer.Link;
import dev.spanwise.tracer.Resource;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.internal.Ids;
import java.util.List;

/** A finished span as exporters see it. Read-only; valid after the span ended. */
public interface SpanData {
  SpanContext spanContext();

  /** 32 hex digits. */
  default String traceId() {
    return spanContext().traceId();
  }

  /** 16 hex digits. */
  default String spanId() {
    return spanContext().spanIdHex();
  }

  /** 0 for a root span. */
  long parentSpanId();

  /** 16 hex digits, or null for a root span. */
  default String parentSpanIdHex() {
    return parentSpanId() == 0L ? null : Ids.toHex(parentSpanId());
  }

  /** True when the parent came from another process. */
  boolean hasRemoteParent();

  String name();

  SpanKind kind();

  long startEpochNanos();

  long endEpochNanos();

  Attributes attributes();

  int droppedAttributesCount();

  List<Event> events();

  int droppedEventsCount();

  List<Link> links();

  int droppedLinksCount();

  StatusCode statusCode();

  /** Null unless the status is ERROR with a message. */
  String statusDescription();

  Resource resource();

  InstrumentationScope instrumentationScope();
}
