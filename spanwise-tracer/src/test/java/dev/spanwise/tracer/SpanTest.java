package dev.spanwise.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SpanData;
import dev.spanwise.tracer.sampling.Sampler;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracer tracer = TestTracers.inMemory(exporter);

  @AfterEach
  void close() {
    tracer.close();
  }

  @Test
  void rootSpanHasValidIdsTimesKindAndResource() {
    long before = System.currentTimeMillis() * 1_000_000L;
    Span span = tracer.spanBuilder("root").setSpanKind(SpanKind.SERVER).startSpan();
    span.end();
    long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;

    SpanData data = exporter.onlySpanNamed("root");
    assertThat(data.traceId()).hasSize(32).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(data.spanId()).hasSize(16).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
    assertThat(data.parentSpanId()).isZero();
    assertThat(data.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(data.spanContext().isSampled()).isTrue();
    assertThat(data.startEpochNanos()).isBetween(before - 50_000_000L, after);
    assertThat(data.endEpochNanos()).isGreaterThanOrEqualTo(data.startEpochNanos());
    assertThat(data.resource().serviceName()).isEqualTo("test-service");
    assertThat(data.resource().attributes().get("telemetry.sdk.name")).isEqualTo("spanwise");
    assertThat(data.resource().attributes().get("telemetry.sdk.language")).isEqualTo("java");
    assertThat(data.instrumentationScope().name()).isEqualTo("dev.spanwise.tracer");
  }

  @Test
  void childOfCurrentSpanSharesTraceAndPointsToParent() {
    Span parent = tracer.startSpan("parent");
    try (Scope ignored = parent.makeCurrent()) {
      Span child = tracer.startSpan("child");
      assertThat(Span.current()).isSameAs(parent);
      child.end();
    }
    parent.end();
    SpanData child = exporter.onlySpanNamed("child");
    SpanData p = exporter.onlySpanNamed("parent");
    assertThat(child.traceId()).isEqualTo(p.traceId());
    assertThat(child.parentSpanIdHex()).isEqualTo(p.spanId());
    assertThat(child.hasRemoteParent()).isFalse();
  }

  @Test
  void explicitParentAndNoParent() {
    Span a = tracer.startSpan("a");
    Span b = tracer.spanBuilder("b").setParent(a).startSpan();
    Span c;
    try (Scope ignored = a.makeCurrent()) {
      c = tracer.spanBuilder("c").setNoParent().startSpan();
    }
    b.end();
    c.end();
    a.end();
    assertThat(exporter.onlySpanNamed("b").parentSpanIdHex()).isEqualTo(a.context().spanIdHex());
    assertThat(exporter.onlySpanNamed("c").parentSpanId()).isZero();
    assertThat(exporter.onlySpanNamed("c").traceId()).isNotEqualTo(a.context().traceId());
  }

  @Test
  void attributesOfEveryType() {
    Span span = tracer.spanBuilder("attrs").setAttribute("from.builder", "yes").startSpan();
    span.setAttribute("s", "v").setAttribute("b", true).setAttribute("l", 42L)
        .setAttribute("d", 1.5).setAttribute("sa", new String[] {"x", "y"})
        .setAttribute("la", new long[] {1, 2}).setAttribute("da", new double[] {0.5})
        .setAttribute("ba", new boolean[] {true, false}).setAttribute("s", "replaced");
    span.end();
    Attributes a = exporter.onlySpanNamed("attrs").attributes();
    assertThat(a.get("from.builder")).isEqualTo("yes");
    assertThat(a.get("s")).isEqualTo("replaced");
    assertThat(a.get("b")).isEqualTo(true);
    assertThat(a.get("l")).isEqualTo(42L);
    assertThat(a.get("d")).isEqualTo(1.5);
    assertThat(a.get("sa")).isEqualTo(List.of("x", "y"));
    assertThat(a.get("la")).isEqualTo(List.of(1L, 2L));
    assertThat(a.get("da")).isEqualTo(List.of(0.5));
    assertThat(a.get("ba")).isEqualTo(List.of(true, false));
    assertThat(a.size()).isEqualTo(9);
  }

  @Test
  void limitsCutAndCount() {
    Tracer limited = TestTracers.inMemory(exporter, SpanLimits.builder().maxAttributes(2)
        .maxEvents(1).maxLinks(1).maxAttributesPerEvent(1).maxAttributeValueLength(3).build(),
        Sampler.alwaysOn());
    SpanContext other = tracer.startSpan("other").context();
    Span span = limited.spanBuilder("limited").addLink(other).addLink(other).startSpan();
    span.setAttribute("a", "abcdef").setAttribute("b", "x").setAttribute("c", "y")
        .setAttribute("d", "z").setAttribute("arr", new String[] {"long-value"});
    span.addEvent("e1", Attributes.of("k1", "v1", "k2", "v2")).addEvent("e2");
    span.end();
    SpanData data = exporter.onlySpanNamed("limited");
    assertThat(data.attributes().size()).isEqualTo(2);
    assertThat(data.attributes().get("a")).isEqualTo("abc");
    assertThat(data.droppedAttributesCount()).isEqualTo(3);
    assertThat(data.events()).hasSize(1);
    assertThat(data.droppedEventsCount()).isEqualTo(1);
    assertThat(data.events().get(0).attributes().size()).isEqualTo(1);
    assertThat(data.events().get(0).droppedAttributesCount()).isEqualTo(1);
    assertThat(data.links()).hasSize(1);
    assertThat(data.droppedLinksCount()).isEqualTo(1);
  }

  @Test
  void eventsLinksAndStatus() {
    Span linked = tracer.startSpan("linked");
    Span span = tracer.startSpan("main");
    span.addEvent("authenticated", Attributes.of("user", "alice"));
    span.addEvent("explicit", Attributes.empty(), 1_000L);
    span.addLink(linked.context(), Attributes.of("why", "batch"));
    span.setStatus(StatusCode.ERROR, "boom");
    span.end();
    SpanData data = exporter.onlySpanNamed("main");
    assertThat(data.events()).extracting(Event::name).containsExactly("authenticated", "explicit");
    assertThat(data.events().get(0).attributes().get("user")).isEqualTo("alice");
    assertThat(data.events().get(1).epochNanos()).isEqualTo(1_000L);
    assertThat(data.links()).hasSize(1);
    assertThat(data.links().get(0).spanContext()).isEqualTo(linked.context());
    assertThat(data.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(data.statusDescription()).isEqualTo("boom");
  }

  @Test
  void okStatusIsFinalAndIgnoresDescription() {
    Span span = tracer.startSpan("ok");
    span.setStatus(StatusCode.OK, "ignored").setStatus(StatusCode.ERROR, "too late");
    span.end();
    SpanData data = exporter.onlySpanNamed("ok");
    assertThat(data.statusCode()).isEqualTo(StatusCode.OK);
    assertThat(data.statusDescription()).isNull();
  }

  @Test
  void recordExceptionAddsOtelAttributesWithStackTrace() {
    IllegalStateException cause = new IllegalStateException("root cause");
    RuntimeException e = new RuntimeException("failed", cause);
    Span span = tracer.startSpan("err");
    span.recordException(e).setError("failed");
    span.end();
    Event event = exporter.onlySpanNamed("err").events().get(0);
    assertThat(event.name()).isEqualTo("exception");
    assertThat(event.attributes().get("exception.type")).isEqualTo("java.lang.RuntimeException");
    assertThat(event.attributes().get("exception.message")).isEqualTo("failed");
    String trace = (String) event.attributes().get("exception.stacktrace");
    assertThat(trace).startsWith("java.lang.RuntimeException: failed\n\tat ")
        .contains("Caused by: java.lang.IllegalStateException: root cause")
        .contains("SpanTest.recordExceptionAddsOtelAttributesWithStackTrace");
    java.io.StringWriter expected = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(expected));
    // the same text as printStackTrace, except that class loader names ("app//") are left out
    assertThat(trace).isEqualTo(expected.toString().replace(System.lineSeparator(), "\n")
        .replaceAll("\tat [A-Za-z0-9_.$-]+//", "\tat "));
  }

  @Test
  void exceptionStackTraceIsRenderedOnReadWithinTheLimits() {
    Tracer limited = TestTracers.inMemory(exporter, SpanLimits.builder().maxAttributeValueLength(20)
        .maxAttributesPerEvent(2).build(), Sampler.alwaysOn());
    Span span = limited.startSpan("limited-exception");
    span.recordException(new RuntimeException("m"), Attributes.of("extra", "x"));
    span.end();
    Event event = exporter.onlySpanNamed("limited-exception").events().get(0);
    assertThat(event.attributes().asMap()).containsOnlyKeys("exception.type", "exception.stacktrace");
    assertThat((String) event.attributes().get("exception.stacktrace")).isEqualTo("java.lang.RuntimeExc");
    assertThat(event.droppedAttributesCount()).isEqualTo(2);
    assertThat(event.attributes()).isSameAs(event.attributes());
  }

  @Test
  void callsAfterEndAndNullsAreIgnored() {
    Span span = tracer.startSpan("done");
    span.setAttribute(null, "x").setAttribute("k", (String) null).addEvent(null);
    span.end();
    span.setAttribute("late", "x").addEvent("late").setStatus(StatusCode.ERROR, "late").updateName("late");
    span.end();
    assertThat(exporter.finishedSpans()).hasSize(1);
    SpanData data = exporter.onlySpanNamed("done");
    assertThat(data.attributes().isEmpty()).isTrue();
    assertThat(data.events()).isEmpty();
    assertThat(data.statusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void unsampledSpanPropagatesButIsNotRecorded() {
    Tracer off = TestTracers.inMemory(exporter, SpanLimits.defaults(), Sampler.alwaysOff());
    Span span = off.startSpan("dropped");
    assertThat(span.isRecording()).isFalse();
    assertThat(span.context().isValid()).isTrue();
    assertThat(span.context().isSampled()).isFalse();
    try (Scope ignored = span.makeCurrent()) {
      Span child = off.startSpan("child");
      assertThat(child.context().traceId()).isEqualTo(span.context().traceId());
      child.end();
    }
    span.end();
    assertThat(exporter.finishedSpans()).isEmpty();
  }

  @Test
  void spansAfterCloseAreNotRecorded() {
    tracer.close();
    Span span = tracer.startSpan("after-close");
    assertThat(span.isRecording()).isFalse();
    span.end();
    assertThat(exporter.finishedSpans()).isEmpty();
  }

  @Test
  void withScopeNamesAnotherInstrumentationScope() {
    tracer.withScope("my.library", "1.2").startSpan("scoped").end();
    assertThat(exporter.onlySpanNamed("scoped").instrumentationScope())
        .isEqualTo(InstrumentationScope.create("my.library", "1.2"));
  }
}
