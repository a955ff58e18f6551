package dev.spanwise.codec;

import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.util.List;

/** Hand-built spans shared by the codec tests. */
public final class TestSpans {
  public static final TraceId TRACE_ID = TraceId.fromHex("5af7183fb1d4cf5f463acd0b1e5f2a7c");
  public static final long ROOT_ID = 0x1111111111111111L;
  public static final long CHILD_ID = 0x2222222222222222L;
  /** 2024-01-02T03:04:05.123456789Z */
  public static final long START = 1_704_164_645_123_456_789L;

  public static final Resource FRONTEND = Resource.of(Attributes.builder()
      .put("service.name", "frontend")
      .put("host.name", "web-1")
      .put("process.pid", 4242L)
      .build(), 3);
  public static final Resource BACKEND = Resource.ofServiceName("backend");
  public static final InstrumentationScope SCOPE =
      InstrumentationScope.of("io.example.http", "1.2.3", Attributes.of("scope.attr", "x"));

  /** Every feature of the model: typed attributes of each type, events, links, status, flags. */
  public static Span richRoot() {
    return Span.builder()
        .resource(FRONTEND)
        .scope(SCOPE)
        .traceId(TRACE_ID)
        .spanId(ROOT_ID)
        .traceState("vendor=abc,other=1")
        .name("GET /checkout")
        .kind(SpanKind.SERVER)
        .startEpochNanos(START)
        .endEpochNanos(START + 250_000_000L)
        .attributes(Attributes.builder()
            .put("http.request.method", "GET")
            .put("http.response.status_code", 500L)
            .put("big.number", 9_007_199_254_740_993L)
            .put("ratio", 0.25)
            .put("cached", false)
            .put("blob", AttributeValue.ofBytes(new byte[] {1, 2, 3, (byte) 0xff}))
            .put("tags", AttributeValue.ofArray(List.of(
                AttributeValue.of("a"), AttributeValue.of(7L), AttributeValue.of(true))))
            .put("nested", AttributeValue.ofMap(Attributes.builder()
                .put("inner", "v").put("n", 1L).build()))
            .build())
        .addEvent(SpanEvent.of(START + 1_000, "exception", Attributes.builder()
            .put("exception.type", "java.io.IOException")
            .put("exception.message", "boom")
            .build(), 1))
        .addEvent(SpanEvent.of(START + 2_000, "retry", Attributes.EMPTY))
        .addLink(SpanLink.of(
            TraceId.fromHex("0102030405060708090a0b0c0d0e0f10"), 0x0a0b0c0d0e0f1011L,
            "k=v", Attributes.of("link.kind", "batch"), 2, 1))
        .status(Status.error("payment declined"))
        .flags(1)
        .droppedAttributesCount(4)
        .droppedEventsCount(5)
        .droppedLinksCount(6)
        .build();
  }

  public static Span child() {
    return Span.builder()
        .resource(BACKEND)
        .traceId(TRACE_ID)
        .spanId(CHILD_ID)
        .parentSpanId(ROOT_ID)
        .name("SELECT orders")
        .kind(SpanKind.CLIENT)
        .startEpochNanos(START + 10_000_000L)
        .endEpochNanos(START + 20_000_000L)
        .attributes(Attributes.of("db.system", "postgresql"))
        .status(dev.spanwise.model.Status.OK)
        .build();
  }

  public static List<Span> trace() {
    return List.of(richRoot(), child());
  }

  /** The span with its times cut to whole microseconds, as Zipkin and Jaeger carry them. */
  public static Span truncatedToMicros(Span span) {
    Span.Builder b = span.toBuilder()
        .startEpochNanos(span.startEpochNanos() / 1000 * 1000)
        .endEpochNanos(span.startEpochNanos() / 1000 * 1000 + span.durationNanos() / 1000 * 1000);
    b.events(span.events().stream()
        .map(e -> SpanEvent.of(e.epochNanos() / 1000 * 1000, e.name(), e.attributes(),
            e.droppedAttributesCount()))
        .collect(java.util.stream.Collectors.toList()));
    return b.build();
  }

  private TestSpans() {}
}
