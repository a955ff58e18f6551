package dev.spanwise.analysis;

import static dev.spanwise.analysis.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.analysis.TraceTree.Node;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
  static List<Long> ids(List<Node> nodes) {
    List<Long> ids = new ArrayList<>();
    for (Node n : nodes) ids.add(n.span().spanId());
    return ids;
  }

  @Test
  void childrenUnderParentOrderedByStart() {
    Span root = span(1).time(0, 100).build();
    Span late = span(2).parent(1).time(50, 60).build();
    Span early = span(3).parent(1).time(10, 20).build();
    Span grandchild = span(4).parent(2).time(52, 55).build();
    TraceTree tree = TraceTree.of(List.of(grandchild, late, root, early));

    assertThat(ids(tree.roots())).containsExactly(1L);
    Node r = tree.roots().get(0);
    assertThat(r.isOrphan()).isFalse();
    assertThat(ids(r.children())).containsExactly(3L, 2L);
    assertThat(ids(tree.nodes())).containsExactly(1L, 3L, 2L, 4L);
    assertThat(tree.node(grandchild).parent().span()).isSameAs(late);
    assertThat(tree.node(grandchild).depth()).isEqualTo(2);
    assertThat(tree.orphans()).isEmpty();
  }

  @Test
  void missingParentMakesOrphanRoots() {
    Span a = span(2).parent(99).time(10, 50).build();
    Span a1 = span(3).parent(2).time(20, 30).build();
    Span b = span(4).parent(98).time(0, 5).build();
    TraceTree tree = TraceTree.of(List.of(a, a1, b));

    assertThat(ids(tree.roots())).containsExactly(4L, 2L);
    assertThat(ids(tree.orphans())).containsExactly(4L, 2L);
    assertThat(tree.node(a1).parent().span()).isSameAs(a);
    assertThat(tree.node(a1).isOrphan()).isFalse();
  }

  @Test
  void zipkinSharedSpanServerUnderClientAndOwnsTheChildren() {
    Span root = span(1).time(0, 100).kind(SpanKind.SERVER).service("front").build();
    Span client = span(2).parent(1).time(10, 90).kind(SpanKind.CLIENT).service("front").build();
    Span server = span(2).parent(1).time(15, 85).kind(SpanKind.SERVER).service("back").build();
    Span db = span(3).parent(2).time(20, 80).kind(SpanKind.CLIENT).service("back").build();
    TraceTree tree = TraceTree.of(List.of(root, server, db, client));

    Node serverNode = tree.node(server);
    assertThat(serverNode.isSharedServer()).isTrue();
    assertThat(serverNode.parent().span()).isSameAs(client);
    assertThat(tree.node(client).parent().span()).isSameAs(root);
    assertThat(tree.node(db).parent()).isSameAs(serverNode);
    assertThat(tree.roots()).hasSize(1);
    assertThat(tree.size()).isEqualTo(4);
  }

  @Test
  void parentLoopIsCutAtItsEarliestSpan() {
    Span a = span(1).parent(2).time(0, 100).build();
    Span b = span(2).parent(1).time(10, 20).build();
    Span c = span(3).parent(3).time(30, 40).build(); // its own parent
    TraceTree tree = TraceTree.of(List.of(b, a, c));

    assertThat(ids(tree.roots())).containsExactly(1L, 3L);
    assertThat(tree.node(a).isOrphan()).isTrue();
    assertThat(tree.node(c).isOrphan()).isTrue();
    assertThat(tree.node(b).parent().span()).isSameAs(a);
    assertThat(tree.size()).isEqualTo(3);
  }

  @Test
  void followsFromLinkMakesAnAsynchronousChild() {
    Span root = span(1).time(0, 100).build();
    Span linked = span(2).time(120, 150).link(1).build();
    Span producer = span(3).parent(1).time(10, 20).kind(SpanKind.PRODUCER).build();
    Span consumer = span(4).parent(3).time(30, 40).kind(SpanKind.CONSUMER).build();
    Span sync = span(5).parent(1).time(40, 50).build();
    TraceTree tree = TraceTree.of(List.of(root, linked, producer, consumer, sync));

    assertThat(tree.roots()).hasSize(1);
    assertThat(tree.node(linked).parent().span()).isSameAs(root);
    assertThat(tree.node(linked).isAsynchronous()).isTrue();
    assertThat(tree.node(consumer).isAsynchronous()).isTrue();
    assertThat(tree.node(producer).isAsynchronous()).isFalse();
    assertThat(tree.node(sync).isAsynchronous()).isFalse();
  }

  @Test
  void deepChainDoesNotOverflowTheStack() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 50_000; i++) {
      spans.add(span(i).parent(i - 1).time(i, 200_000 - i).build());
    }
    TraceTree tree = TraceTree.of(spans);
    assertThat(tree.roots()).hasSize(1);
    assertThat(tree.nodes().get(49_999).depth()).isEqualTo(49_999);
    assertThat(CriticalPath.of(tree).paths().get(0).durationNanos())
        .isEqualTo((200_000 - 2) * Spans.MS);
  }

  @Test
  void emptyTrace() {
    TraceTree tree = TraceTree.of(List.of());
    assertThat(tree.isEmpty()).isTrue();
    assertThat(CriticalPath.of(tree).segments()).isEmpty();
    assertThat(TraceStatistics.of(tree).rows()).isEmpty();
  }
}
