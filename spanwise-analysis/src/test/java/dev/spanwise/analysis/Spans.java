package dev.spanwise.analysis;

import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.TraceId;

/** Hand-built spans for tests: times in milliseconds from 0, ids as small numbers. */
final class Spans {
  static final TraceId TRACE = TraceId.of(0x0102030405060708L, 0x1112131415161718L);
  static final long MS = 1_000_000L;

  private final Span.Builder b = Span.builder().traceId(TRACE);
  private String service = "svc";
  private String host;

  private Spans(long id) {
    b.spanId(id).name("op" + id);
  }

  static Spans span(long id) {
    return new Spans(id);
  }

  Spans parent(long parentId) {
    b.parentSpanId(parentId);
    return this;
  }

  Spans time(long startMs, long endMs) {
    b.startEpochNanos(startMs * MS).endEpochNanos(endMs * MS);
    return this;
  }

  Spans kind(SpanKind kind) {
    b.kind(kind);
    return this;
  }

  Spans name(String name) {
    b.name(name);
    return this;
  }

  Spans service(String service) {
    this.service = service;
    return this;
  }

  Spans host(String host) {
    this.host = host;
    return this;
  }

  Spans event(long atMs) {
    b.addEvent(SpanEvent.of(atMs * MS, "e" + atMs, Attributes.EMPTY));
    return this;
  }

  Spans link(long spanId) {
    b.addLink(SpanLink.of(TRACE, spanId));
    return this;
  }

  Span build() {
    Attributes.Builder attributes = Attributes.builder().put(Resource.SERVICE_NAME, service);
    if (host != null) attributes.put("host.name", host);
    return b.resource(Resource.of(attributes.build())).build();
  }
}
