package dev.spanwise.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceSummaryTest {
  static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");

  static Span span(TraceId trace, long id, long parent, String service, long start, long end) {
    return Span.builder().traceId(trace).spanId(id).parentSpanId(parent).name("op-" + id)
        .resource(Resource.ofServiceName(service)).startEpochNanos(start).endEpochNanos(end).build();
  }

  @Test
  void summarizesFromTheRoot() {
    TraceSummary s = TraceSummary.of(List.of(
        span(TRACE, 2, 1, "db", 120, 500).toBuilder().status(Status.error("x")).build(),
        span(TRACE, 1, 0, "web", 100, 300),
        span(TRACE, 3, 1, "web", 150, 160)));

    assertThat(s.traceId()).isEqualTo(TRACE);
    assertThat(s.rootServiceName()).isEqualTo("web");
    assertThat(s.rootSpanName()).isEqualTo("op-1");
    assertThat(s.startEpochNanos()).isEqualTo(100);
    assertThat(s.durationNanos()).isEqualTo(400);
    assertThat(s.spanCount()).isEqualTo(3);
    assertThat(s.errorCount()).isEqualTo(1);
    assertThat(s.spanCountByService()).containsExactly(Map.entry("db", 1), Map.entry("web", 2));
  }

  @Test
  void withoutARootTheEarliestSpanStandsIn() {
    TraceSummary s = TraceSummary.of(List.of(
        span(TRACE, 3, 1, "api", 150, 160), span(TRACE, 2, 1, "db", 120, 130)));

    assertThat(s.rootServiceName()).isEqualTo("db");
    assertThat(s.rootSpanName()).isEqualTo("op-2");
  }

  @Test
  void rejectsEmptyAndMixedTraces() {
    assertThatThrownBy(() -> TraceSummary.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraceSummary.of(List.of(span(TRACE, 1, 0, "a", 1, 2),
        span(TraceId.fromHex("ab"), 2, 0, "a", 1, 2))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mixes trace ids");
  }
}
