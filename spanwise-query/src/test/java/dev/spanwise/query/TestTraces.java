package dev.spanwise.query;

import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.DependencyLink;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** A known multi-service trace and a second, one-service trace. */
final class TestTraces {
  /** 2026-11-25T12:00:00Z. */
  static final long BASE_NANOS = 1_795_608_000_000_000_000L;
  static final long BASE_MICROS = BASE_NANOS / 1000;
  /** "Now" for the APIs: ten minutes after the first trace. */
  static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochSecond(BASE_NANOS / 1_000_000_000L + 600), ZoneOffset.UTC);

  static final TraceId CHECKOUT_ID = TraceId.fromHex("463ac35c9f6413ad48485a3953bb6124");
  static final long ROOT_ID = 0xa1L;
  static final long CLIENT_ID = 0xa2L;
  static final long BACKEND_ID = 0xa3L;
  static final long DB_ID = 0xa4L;

  static final TraceId HEALTH_ID = TraceId.fromHex("00000000000000000000000000000bee");

  static final Resource FRONTEND = Resource.of(Attributes.builder()
      .put("service.name", "frontend").put("host.name", "web-1").build());
  static final Resource BACKEND = Resource.of(Attributes.builder()
      .put("service.name", "backend").put("service.version", "1.2.3").build());

  static Span span(TraceId traceId, Resource resource, long id, long parent, String name,
      SpanKind kind, long startMicrosOffset, long durationMicros, Attributes attributes,
      Status status) {
    return Span.builder()
        .resource(resource)
        .traceId(traceId)
        .spanId(id)
        .parentSpanId(parent)
        .name(name)
        .kind(kind)
        .startEpochNanos(BASE_NANOS + startMicrosOffset * 1000)
        .endEpochNanos(BASE_NANOS + (startMicrosOffset + durationMicros) * 1000)
        .attributes(attributes)
        .status(status)
        .build();
  }

  /** frontend GET /checkout -> frontend client -> backend checkout -> backend SELECT (error). */
  static List<Span> checkout() {
    return List.of(
        span(CHECKOUT_ID, FRONTEND, ROOT_ID, 0, "GET /checkout", SpanKind.SERVER, 0, 150_000,
            Attributes.builder().put("http.method", "GET").put("http.status_code", 500L).build(),
            Status.UNSET),
        span(CHECKOUT_ID, FRONTEND, CLIENT_ID, ROOT_ID, "POST /api/order", SpanKind.CLIENT, 10_000,
            120_000, Attributes.builder().put("http.method", "POST")
                .put("peer.service", "backend").build(), Status.UNSET),
        span(CHECKOUT_ID, BACKEND, BACKEND_ID, CLIENT_ID, "checkout", SpanKind.SERVER, 12_000,
            100_000, Attributes.of("http.method", "POST"), Status.UNSET),
        span(CHECKOUT_ID, BACKEND, DB_ID, BACKEND_ID, "SELECT orders", SpanKind.CLIENT, 20_000,
            50_000, Attributes.of("peer.service", "postgres", "db.system", "postgresql"),
            Status.error("connection reset")));
  }

  /** One frontend span, five minutes after the checkout trace. */
  static List<Span> health() {
    return List.of(span(HEALTH_ID, FRONTEND, 0xb1L, 0, "GET /health", SpanKind.SERVER,
        300_000_000L, 1_000, Attributes.of("http.method", "GET"), Status.UNSET));
  }

  static FakeSpanStore store() {
    FakeSpanStore store = FakeSpanStore.withAll().add(checkout()).add(health());
    store.links.add(DependencyLink.of("backend", "postgres", 1, 1));
    store.links.add(DependencyLink.of("frontend", "backend", 1, 0));
    return store;
  }

  static QueryOptions options() {
    return QueryOptions.builder().clock(CLOCK).build();
  }

  private TestTraces() {}
}
