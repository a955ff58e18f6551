package dev.spanwise.analysis;

import static dev.spanwise.analysis.Spans.MS;
import static dev.spanwise.analysis.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.analysis.CriticalPath.Segment;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriticalPathTest {
  /** Segments as "id:start-end" in milliseconds. */
  static List<String> segments(List<Segment> segments) {
    List<String> out = new ArrayList<>();
    for (Segment s : segments) {
      out.add(s.spanId() + ":" + s.startEpochNanos() / MS + "-" + s.endEpochNanos() / MS);
    }
    return out;
  }

  static CriticalPath path(Span... spans) {
    return CriticalPath.of(TraceTree.of(List.of(spans)));
  }

  @Test
  void sequentialChildren() {
    Span root = span(1).time(0, 100).build();
    Span a = span(2).parent(1).time(10, 40).build();
    Span b = span(3).parent(1).time(40, 90).build();
    TraceTree tree = TraceTree.of(List.of(root, a, b));
    CriticalPath cp = CriticalPath.of(tree);

    assertThat(segments(cp.segments()))
        .containsExactly("1:0-10", "2:10-40", "3:40-90", "1:90-100");
    assertThat(cp.criticalPathNanos(tree.node(root))).isEqualTo(20 * MS);
    assertThat(cp.criticalPathNanos(tree.node(a))).isEqualTo(30 * MS);
    assertThat(cp.criticalPathNanos(tree.node(b))).isEqualTo(50 * MS);
    assertThat(cp.paths().get(0).durationNanos()).isEqualTo(100 * MS);
  }

  @Test
  void parallelChildrenOnlyTheLastFinishingOneCounts() {
    Span root = span(1).time(0, 100).build();
    Span a = span(2).parent(1).time(10, 60).build();
    Span b = span(3).parent(1).time(20, 90).build();
    TraceTree tree = TraceTree.of(List.of(root, a, b));
    CriticalPath cp = CriticalPath.of(tree);

    // a is still running when b starts: it does not hold up the parent.
    assertThat(segments(cp.segments())).containsExactly("1:0-20", "3:20-90", "1:90-100");
    assertThat(cp.criticalPathNanos(tree.node(a))).isZero();
    assertThat(cp.isOnCriticalPath(tree.node(a))).isFalse();
  }

  @Test
  void nestedFanOut() {
    Span root = span(1).time(0, 100).build();
    Span a = span(2).parent(1).time(0, 80).build();
    Span a1 = span(21).parent(2).time(10, 30).build();
    Span a2 = span(22).parent(2).time(10, 70).build();
    Span a3 = span(23).parent(2).time(40, 75).build();
    Span b = span(3).parent(1).time(5, 50).build();

    CriticalPath cp = path(root, a, a1, a2, a3, b);
    assertThat(segments(cp.segments())).containsExactly(
        "2:0-10", "21:10-30", "2:30-40", "23:40-75", "2:75-80", "1:80-100");
    assertThat(cp.paths().get(0).durationNanos()).isEqualTo(100 * MS);
  }

  @Test
  void overrunningChildIsClipped() {
    Span root = span(1).time(0, 100).build();
    Span a = span(2).parent(1).time(50, 130).build();
    Span a1 = span(3).parent(2).time(60, 120).build();
    Span a2 = span(4).parent(2).time(110, 125).build(); // outside a's clipped interval
    TraceTree tree = TraceTree.of(List.of(root, a, a1, a2));
    CriticalPath cp = CriticalPath.of(tree);

    assertThat(segments(cp.segments())).containsExactly("1:0-50", "2:50-60", "3:60-100");
    assertThat(cp.criticalPathNanos(tree.node(a1))).isEqualTo(40 * MS);
    assertThat(cp.criticalPathNanos(tree.node(a2))).isZero();
  }

  @Test
  void childStartingBeforeItsParentIsClippedAtTheStart() {
    Span root = span(1).time(10, 100).build();
    Span a = span(2).parent(1).time(0, 30).build();
    assertThat(segments(path(root, a).segments())).containsExactly("2:10-30", "1:30-100");
  }

  @Test
  void detachedChildIsDroppedWithItsSubtree() {
    Span root = span(1).time(0, 100).build();
    Span detached = span(2).parent(1).time(120, 150).build();
    Span underDetached = span(3).parent(2).time(125, 140).build();
    Span b = span(4).parent(1).time(10, 20).build();
    TraceTree tree = TraceTree.of(List.of(root, detached, underDetached, b));
    CriticalPath cp = CriticalPath.of(tree);

    assertThat(segments(cp.segments())).containsExactly("1:0-10", "4:10-20", "1:20-100");
    assertThat(cp.criticalPathNanos(tree.node(detached))).isZero();
    assertThat(cp.criticalPathNanos(tree.node(underDetached))).isZero();
  }

  @Test
  void consumerDoesNotBlockItsProducer() {
    Span root = span(1).time(0, 100).kind(SpanKind.SERVER).build();
    Span producer = span(2).parent(1).time(10, 20).kind(SpanKind.PRODUCER).build();
    Span consumer = span(3).parent(2).time(12, 18).kind(SpanKind.CONSUMER).build();
    Span afterConsumer = span(4).parent(3).time(13, 17).build();
    TraceTree tree = TraceTree.of(List.of(root, producer, consumer, afterConsumer));
    CriticalPath cp = CriticalPath.of(tree);

    assertThat(segments(cp.segments())).containsExactly("1:0-10", "2:10-20", "1:20-100");
    assertThat(cp.criticalPathNanos(tree.node(consumer))).isZero();
  }

  @Test
  void followsFromChildDoesNotBlock() {
    Span root = span(1).time(0, 100).build();
    Span followsFrom = span(2).time(30, 90).link(1).build();
    assertThat(segments(path(root, followsFrom).segments())).containsExactly("1:0-100");
  }

  @Test
  void orphansEachHaveTheirOwnPath() {
    Span a = span(2).parent(99).time(0, 50).build();
    Span a1 = span(3).parent(2).time(10, 20).build();
    Span b = span(4).parent(98).time(60, 80).build();
    CriticalPath cp = path(a, a1, b);

    assertThat(cp.paths()).hasSize(2);
    assertThat(segments(cp.paths().get(0).segments()))
        .containsExactly("2:0-10", "3:10-20", "2:20-50");
    assertThat(segments(cp.paths().get(1).segments())).containsExactly("4:60-80");
    assertThat(cp.paths().get(1).root().span()).isSameAs(b);
  }

  @Test
  void sequentialChildrenWithGapsOverlappingTheChosenOneAreSkipped() {
    Span root = span(1).time(0, 100).build();
    Span a = span(2).parent(1).time(0, 30).build();
    Span b = span(3).parent(1).time(25, 50).build(); // overlaps c's start, so not before it
    Span c = span(4).parent(1).time(40, 95).build();
    assertThat(segments(path(root, a, b, c).segments()))
        .containsExactly("2:0-30", "1:30-40", "4:40-95", "1:95-100");
  }

  @Test
  void zipkinSharedSpanServerSideIsWalkedUnderTheClientSide() {
    Span root = span(1).time(0, 100).kind(SpanKind.SERVER).build();
    Span client = span(2).parent(1).time(10, 90).kind(SpanKind.CLIENT).build();
    Span server = span(2).parent(1).time(15, 85).kind(SpanKind.SERVER).build();
    Span db = span(3).parent(2).time(20, 80).kind(SpanKind.CLIENT).build();
    TraceTree tree = TraceTree.of(List.of(root, client, server, db));
    CriticalPath cp = CriticalPath.of(tree);

    assertThat(segments(cp.segments())).containsExactly(
        "1:0-10", "2:10-15", "2:15-20", "3:20-80", "2:80-85", "2:85-90", "1:90-100");
    assertThat(cp.segments().get(1).span()).isSameAs(client);
    assertThat(cp.segments().get(2).span()).isSameAs(server);
    assertThat(cp.criticalPathNanos(tree.node(client))).isEqualTo(10 * MS);
    assertThat(cp.criticalPathNanos(tree.node(server))).isEqualTo(10 * MS);
  }
}
