package dev.spanwise.analysis;

import static dev.spanwise.analysis.Spans.MS;
import static dev.spanwise.analysis.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.analysis.internal.GoDurations;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceAnalysisTest {
  @Test
  void skewedSiblingsAreCorrectedBeforeTheCriticalPathIsWalked() {
    Span root = span(1).time(100, 200).host("a").kind(SpanKind.CLIENT).build();
    // Without correction both lie outside the parent and would be dropped.
    Span early = span(2).parent(1).time(0, 20).host("b").kind(SpanKind.SERVER).build();
    Span late = span(3).parent(1).time(300, 340).host("c").kind(SpanKind.SERVER).build();

    TraceAnalysis raw = TraceAnalysis.of(List.of(root, early, late));
    assertThat(CriticalPathTest.segments(raw.criticalPath().segments()))
        .containsExactly("1:100-200");
    assertThat(raw.clockSkew()).isNull();
    assertThat(raw.spans()).containsExactly(root, early, late);

    TraceAnalysis adjusted = TraceAnalysis.of(List.of(root, early, late),
        ClockSkewAdjuster.create());
    // early -> [140, 160], late -> [130, 170]: late ends last and covers early
    assertThat(CriticalPathTest.segments(adjusted.criticalPath().segments()))
        .containsExactly("1:100-130", "3:130-170", "1:170-200");
    assertThat(adjusted.clockSkew().adjustments()).hasSize(2);
    Span adjustedLate = adjusted.spans().get(2);
    TraceTree.Node lateNode = adjusted.tree().node(adjustedLate);
    assertThat(adjusted.criticalPath().criticalPathNanos(lateNode)).isEqualTo(40 * MS);
    assertThat(adjusted.selfTime().nanos(adjusted.tree().roots().get(0))).isEqualTo(60 * MS);
    assertThat(adjusted.statistics().rows()).hasSize(3);
  }

  @Test
  void goDurations() {
    assertThat(GoDurations.format(0)).isEqualTo("0s");
    assertThat(GoDurations.format(7)).isEqualTo("7ns");
    assertThat(GoDurations.format(1_500)).isEqualTo("1.5µs");
    assertThat(GoDurations.format(-1_234_000)).isEqualTo("-1.234ms");
    assertThat(GoDurations.format(1_000_001)).isEqualTo("1.000001ms");
    assertThat(GoDurations.format(35 * MS)).isEqualTo("35ms");
    assertThat(GoDurations.format(2_500_000_000L)).isEqualTo("2.5s");
    assertThat(GoDurations.format(Long.MAX_VALUE)).isEqualTo("9223372036.854775807s");
  }
}
