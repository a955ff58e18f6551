package dev.spanwise.analysis;

import static dev.spanwise.analysis.Spans.MS;
import static dev.spanwise.analysis.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.model.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfTimeTest {
  @Test
  void durationMinusTheUnionOfChildren() {
    Span root = span(1).time(0, 100).build();
    Span a = span(2).parent(1).time(10, 40).build();
    Span b = span(3).parent(1).time(30, 50).build(); // overlaps a: counted once
    Span c = span(4).parent(1).time(90, 130).build(); // overruns: clipped at 100
    Span d = span(5).parent(1).time(150, 160).build(); // outside: takes nothing
    Span a1 = span(6).parent(2).time(15, 20).build();
    TraceTree tree = TraceTree.of(List.of(root, a, b, c, d, a1));
    SelfTime self = SelfTime.of(tree);

    assertThat(self.nanos(tree.node(root))).isEqualTo((100 - 40 - 10) * MS);
    assertThat(self.nanos(tree.node(a))).isEqualTo(25 * MS);
    assertThat(self.nanos(tree.node(c))).isEqualTo(40 * MS);
    assertThat(self.nanos(tree.node(a1))).isEqualTo(5 * MS);
  }

  @Test
  void childCoveringItsParentLeavesNoSelfTime() {
    Span root = span(1).time(10, 20).build();
    Span a = span(2).parent(1).time(0, 30).build();
    TraceTree tree = TraceTree.of(List.of(root, a));
    assertThat(SelfTime.of(tree).nanos(tree.node(root))).isZero();
  }
}
