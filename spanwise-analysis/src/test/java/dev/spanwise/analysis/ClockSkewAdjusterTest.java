package dev.spanwise.analysis;

import static dev.spanwise.analysis.Spans.MS;
import static dev.spanwise.analysis.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.analysis.ClockSkewAdjuster.Adjustment;
import dev.spanwise.analysis.ClockSkewAdjuster.Result;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jaeger's adjuster cases, in milliseconds. */
class ClockSkewAdjusterTest {
  final ClockSkewAdjuster adjuster = ClockSkewAdjuster.create();

  static long startMs(Span span) {
    return span.startEpochNanos() / MS;
  }

  static long endMs(Span span) {
    return span.endEpochNanos() / MS;
  }

  @Test
  void childStartingBeforeParentOnAnotherHostIsCentred() {
    Span parent = span(1).time(10, 110).host("a").build();
    Span child = span(2).parent(1).time(0, 50).host("b").event(5).event(10).build();
    Result result = adjuster.adjust(List.of(parent, child));

    // latency = (100 - 50) / 2 = 25; shift = 10 + 25 - 0 = 35
    Span adjusted = result.spans().get(1);
    assertThat(startMs(adjusted)).isEqualTo(35);
    assertThat(endMs(adjusted)).isEqualTo(85);
    assertThat(adjusted.events()).extracting(SpanEvent::epochNanos)
        .containsExactly(40 * MS, 45 * MS);
    assertThat(result.spans().get(0)).isSameAs(parent);
    assertThat(result.adjustments()).singleElement().satisfies(a -> {
      assertThat(a.original()).isSameAs(child);
      assertThat(a.adjusted()).isSameAs(adjusted);
      assertThat(a.deltaNanos()).isEqualTo(35 * MS);
      assertThat(a.warning()).isEqualTo("clock skew adjusted by 35ms");
    });
    assertThat(result.adjustmentOf(adjusted)).isSameAs(result.adjustments().get(0));
    assertThat(result.adjustmentOf(parent)).isNull();
  }

  @Test
  void childEndingAfterParentIsShiftedWithItsSameHostSubtree() {
    Span parent = span(1).time(10, 110).host("a").build();
    Span child = span(2).parent(1).time(50, 120).host("b").build();
    Span grandchild = span(3).parent(2).time(60, 80).host("b").event(65).event(70).build();
    Result result = adjuster.adjust(List.of(parent, child, grandchild));

    // latency = (100 - 70) / 2 = 15; new start 25, shift -25 for b's whole subtree
    assertThat(startMs(result.spans().get(1))).isEqualTo(25);
    assertThat(startMs(result.spans().get(2))).isEqualTo(35);
    assertThat(endMs(result.spans().get(2))).isEqualTo(55);
    assertThat(result.spans().get(2).events()).extracting(SpanEvent::epochNanos)
        .containsExactly(40 * MS, 45 * MS);
    assertThat(result.adjustments()).extracting(Adjustment::warning)
        .containsExactly("clock skew adjusted by -25ms", "clock skew adjusted by -25ms");
  }

  @Test
  void longerChildStartingBeforeParentIsAlignedToItsStart() {
    Span parent = span(1).time(10, 110).host("a").build();
    Span child = span(2).parent(1).time(0, 150).host("b").build();
    Result result = adjuster.adjust(List.of(parent, child));
    assertThat(startMs(result.spans().get(1))).isEqualTo(10);
    assertThat(endMs(result.spans().get(1))).isEqualTo(160);
  }

  @Test
  void longerChildStartingInsideParentIsLeftAlone() {
    Span parent = span(1).time(10, 110).host("a").build();
    Span child = span(2).parent(1).time(20, 170).host("b").build();
    Result result = adjuster.adjust(List.of(parent, child));
    assertThat(result.spans().get(1)).isSameAs(child);
    assertThat(result.adjustments()).isEmpty();
  }

  @Test
  void childThatFitsIsNotAdjusted() {
    Span parent = span(1).time(10, 110).host("a").build();
    Span child = span(2).parent(1).time(20, 70).host("b").build();
    Result result = adjuster.adjust(List.of(parent, child));
    assertThat(result.spans()).containsExactly(parent, child);
    assertThat(result.adjustments()).isEmpty();
  }

  @Test
  void sameHostIsNotAdjusted() {
    Span parent = span(1).time(10, 110).host("a").build();
    Span child = span(2).parent(1).time(0, 50).host("a").build();
    Result result = adjuster.adjust(List.of(parent, child));
    assertThat(result.spans().get(1)).isSameAs(child);
    assertThat(result.adjustments()).isEmpty();
  }

  @Test
  void siblingsKeepTheirBranchShiftAfterAnotherHostsSibling() {
    Span root = span(1).time(10, 110).host("a").build();
    Span branch = span(2).parent(1).time(0, 50).host("b").build();
    Span otherHost = span(3).parent(2).time(0, 10).host("c").build();
    Span sameHost1 = span(4).parent(2).time(5, 15).host("b").build();
    Span sameHost2 = span(5).parent(2).time(10, 20).host("b").build();
    Result result = adjuster.adjust(List.of(root, branch, otherHost, sameHost1, sameHost2));

    assertThat(result.spans()).extracting(ClockSkewAdjusterTest::startMs)
        .containsExactly(10L, 35L, 55L, 40L, 45L);
  }

  @Test
  void skewedSiblingsOnTwoHostsAreEachFittedIntoTheParent() {
    Span root = span(1).time(100, 200).host("a").kind(SpanKind.CLIENT).build();
    Span early = span(2).parent(1).time(50, 90).host("b").kind(SpanKind.SERVER).build();
    Span late = span(3).parent(1).time(180, 240).host("c").kind(SpanKind.SERVER).build();
    Result result = adjuster.adjust(List.of(root, early, late));

    // early: (100 - 40) / 2 = 30 -> starts 130; late: (100 - 60) / 2 = 20 -> starts 120
    assertThat(startMs(result.spans().get(1))).isEqualTo(130);
    assertThat(startMs(result.spans().get(2))).isEqualTo(120);
    assertThat(result.adjustments()).extracting(Adjustment::deltaNanos)
        .containsExactly(80 * MS, -60 * MS);
  }

  @Test
  void zipkinSharedServerSideIsFittedIntoItsClientSide() {
    Span client = span(1).time(100, 200).host("a").kind(SpanKind.CLIENT).build();
    Span server = span(1).time(300, 380).host("b").kind(SpanKind.SERVER).build();
    Result result = adjuster.adjust(List.of(server, client));
    assertThat(startMs(result.spans().get(0))).isEqualTo(110);
    assertThat(result.spans().get(1)).isSameAs(client);
  }

  @Test
  void shiftBeyondTheMaximumIsReportedNotApplied() {
    Span parent = span(1).time(10, 110).host("a").build();
    Span child = span(2).parent(1).time(0, 50).host("b").build();
    Result result = ClockSkewAdjuster.withMaxAdjustment(Duration.ofMillis(10))
        .adjust(List.of(parent, child));
    assertThat(result.spans().get(1)).isSameAs(child);
    assertThat(result.adjustments()).singleElement().satisfies(a -> {
      assertThat(a.deltaNanos()).isZero();
      assertThat(a.warning())
          .isEqualTo("clock skew adjustment of 35ms exceeds the maximum of 10ms; not applied");
    });
    assertThatThrownBy(() -> ClockSkewAdjuster.withMaxAdjustment(Duration.ofMillis(-1)))
        .hasMessageContaining("maxAdjustment");
  }

  @Test
  void orphanRootsAreNotShiftedButTheirChildrenAre() {
    Span orphan = span(2).parent(99).time(10, 110).host("a").build();
    Span child = span(3).parent(2).time(0, 50).host("b").build();
    Result result = adjuster.adjust(List.of(orphan, child));
    assertThat(result.spans().get(0)).isSameAs(orphan);
    assertThat(startMs(result.spans().get(1))).isEqualTo(35);
  }

  @Test
  void hostKeyFallsBackToServiceInstanceThenService() {
    Span hostId = withResource(Attributes.builder().put("service.name", "s")
        .put("host.id", "id-1").put("host.name", "n").build());
    Span hostIp = withResource(Attributes.builder().put("service.name", "s")
        .put("host.ip", AttributeValue.ofArray(List.of(AttributeValue.of("10.0.0.1"),
            AttributeValue.of("10.0.0.2")))).build());
    Span instance = withResource(Attributes.builder().put("service.name", "s")
        .put("service.instance.id", "i-1").build());
    Span serviceOnly = withResource(Attributes.of("service.name", "s"));

    assertThat(ClockSkewAdjuster.hostKey(hostId)).isEqualTo("host:id-1");
    assertThat(ClockSkewAdjuster.hostKey(hostIp)).isEqualTo("host:10.0.0.1");
    assertThat(ClockSkewAdjuster.hostKey(instance)).isEqualTo("service:s/i-1");
    assertThat(ClockSkewAdjuster.hostKey(serviceOnly)).isEqualTo("service:s");
  }

  @Test
  void withoutHostsDifferentServicesAreDifferentClocks() {
    Span parent = span(1).time(10, 110).service("front").build();
    Span sameService = span(2).parent(1).time(0, 20).service("front").build();
    Span otherService = span(3).parent(1).time(0, 50).service("back").build();
    Result result = adjuster.adjust(List.of(parent, sameService, otherService));
    assertThat(result.spans().get(1)).isSameAs(sameService);
    assertThat(startMs(result.spans().get(2))).isEqualTo(35);
  }

  @Test
  void deepChainEndingOnAnotherHostIsAdjustedWithoutRecursion() {
    List<Span> spans = new java.util.ArrayList<>();
    for (int i = 1; i < 20_000; i++) {
      spans.add(span(i).parent(i - 1).time(10, 110).host("a").build());
    }
    spans.add(span(20_000).parent(19_999).time(0, 50).host("b").build());
    Result result = adjuster.adjust(spans);
    assertThat(startMs(result.spans().get(19_999))).isEqualTo(35);
    assertThat(result.adjustments()).hasSize(1);
  }

  static Span withResource(Attributes attributes) {
    return span(1).time(0, 1).build().toBuilder().resource(Resource.of(attributes)).build();
  }
}
