package dev.spanwise.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceAdjusterTest {
  @Test
  void deduplicateKeepsFirstOfSameTraceSpanAndKind() {
    List<Span> trace = new ArrayList<>(TestTraces.checkout());
    Span replayed = trace.get(2).toBuilder().name("replayed copy").build();
    // Same span id but another kind: a Zipkin shared-span RPC, both sides are kept.
    Span otherSide = trace.get(1).toBuilder().kind(SpanKind.SERVER).build();
    trace.add(replayed);
    trace.add(otherSide);
    trace.add(trace.get(0));

    List<Span> adjusted = TraceAdjuster.deduplicate().adjust(trace);

    assertThat(adjusted).hasSize(5);
    assertThat(adjusted.subList(0, 4)).isEqualTo(TestTraces.checkout());
    assertThat(adjusted.get(4)).isSameAs(otherSide);
    assertThat(adjusted).doesNotContain(replayed);
  }

  @Test
  void deduplicateReturnsInputWhenNothingRepeats() {
    List<Span> trace = TestTraces.checkout();
    assertThat(TraceAdjuster.deduplicate().adjust(trace)).isSameAs(trace);
  }

  @Test
  void chainAppliesInOrder() {
    TraceAdjuster dropFirst = t -> t.subList(1, t.size());
    TraceAdjuster keepFirst = t -> t.subList(0, 1);
    List<Span> trace = TestTraces.checkout();
    assertThat(TraceAdjuster.chain(dropFirst, keepFirst).adjust(trace))
        .containsExactly(trace.get(1));
    assertThat(TraceAdjuster.chain(keepFirst, dropFirst).adjust(trace)).isEmpty();
  }

  @Test
  void optionsDefaultToStandardChain() {
    List<Span> doubled = new ArrayList<>(TestTraces.health());
    doubled.addAll(TestTraces.health());
    assertThat(QueryOptions.defaults().traceAdjuster().adjust(doubled)).hasSize(1);
  }

  @Test
  void standardChainCorrectsClockSkewAndCanLeaveItOut() {
    Span parent = TestTraces.span(TestTraces.CHECKOUT_ID, TestTraces.FRONTEND, 1, 0, "GET /",
        SpanKind.SERVER, 0, 100_000, dev.spanwise.model.Attributes.EMPTY,
        dev.spanwise.model.Status.UNSET);
    Span child = TestTraces.span(TestTraces.CHECKOUT_ID, TestTraces.BACKEND, 2, 1, "work",
        SpanKind.SERVER, -50_000, 50_000, dev.spanwise.model.Attributes.EMPTY,
        dev.spanwise.model.Status.UNSET);
    List<Span> trace = List.of(parent, child);

    TraceAdjuster standard = TraceAdjuster.standard();
    List<Span> adjusted = standard.adjust(trace);
    // latency (100 - 50) / 2 = 25 ms: the child moves from -50 ms to +25 ms
    assertThat(adjusted.get(1).startEpochNanos())
        .isEqualTo(TestTraces.BASE_NANOS + 25_000_000L);
    assertThat(adjusted.get(0)).isSameAs(parent);
    assertThat(standard.clockSkewAdjuster()).isNotNull();

    TraceAdjuster without = standard.withoutClockSkew();
    assertThat(without.adjust(trace)).containsExactly(parent, child);
    assertThat(without.clockSkewAdjuster()).isNull();
    assertThat(TraceAdjuster.deduplicate().clockSkewAdjuster()).isNull();
    assertThat(TraceAdjuster.deduplicate().withoutClockSkew().adjust(trace)).isSameAs(trace);

    dev.spanwise.analysis.ClockSkewAdjuster limited =
        dev.spanwise.analysis.ClockSkewAdjuster.withMaxAdjustment(java.time.Duration.ofMillis(1));
    TraceAdjuster custom = TraceAdjuster.chain(TraceAdjuster.clockSkew(limited),
        TraceAdjuster.deduplicate());
    assertThat(custom.clockSkewAdjuster()).isSameAs(limited);
    assertThat(custom.adjust(trace)).containsExactly(parent, child); // 75 ms > 1 ms: refused
  }
}
