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
}
