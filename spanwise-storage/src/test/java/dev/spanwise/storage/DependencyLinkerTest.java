package dev.spanwise.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyLinkerTest {
  static final TraceId TRACE = TraceId.fromHex("463ac35c9f6413ad48485a3953bb6124");

  static Span span(long id, long parent, String service, SpanKind kind, long start) {
    return Span.builder().traceId(TRACE).spanId(id).parentSpanId(parent).name("op-" + id)
        .kind(kind).resource(Resource.ofServiceName(service))
        .startEpochNanos(start).endEpochNanos(start + 10).build();
  }

  static Span withPeer(Span span, String peer) {
    return span.toBuilder().attributes(Attributes.of("peer.service", peer)).build();
  }

  static List<String> calls(List<Span> trace) {
    List<String> calls = new ArrayList<>();
    DependencyLinker.forEachCall(trace, (parent, child, start, error) ->
        calls.add(parent + "->" + child + "@" + start + (error ? "!" : "")));
    return calls;
  }

  @Test
  void parentOfAnotherServiceMakesACallAtTheChildsStart() {
    List<Span> trace = List.of(
        span(1, 0, "web", SpanKind.SERVER, 100),
        span(2, 1, "web", SpanKind.INTERNAL, 110),
        span(3, 2, "db", SpanKind.SERVER, 120).toBuilder().status(Status.error("down")).build());

    assertThat(calls(trace)).containsExactly("web->db@120!");
  }

  @Test
  void peerServiceCountsOnlyWithoutARemoteChild() {
    Span root = span(1, 0, "web", SpanKind.SERVER, 100);
    Span answered = withPeer(span(2, 1, "web", SpanKind.CLIENT, 110), "api");
    Span answer = span(3, 2, "api", SpanKind.SERVER, 111);
    Span unanswered = withPeer(span(4, 1, "web", SpanKind.PRODUCER, 130), "queue");
    Span internalWithPeer = withPeer(span(5, 1, "web", SpanKind.INTERNAL, 140), "ignored");
    Span selfPeer = withPeer(span(6, 1, "web", SpanKind.CLIENT, 150), "web");

    assertThat(calls(List.of(root, answered, answer, unanswered, internalWithPeer, selfPeer)))
        .containsExactlyInAnyOrder("web->api@111", "web->queue@130");
  }

  @Test
  void zipkinSharedSpanIsOneCallAndItsChildrenBelongToTheServerSide() {
    Span root = span(1, 0, "gateway", SpanKind.SERVER, 100);
    Span client = withPeer(span(2, 1, "gateway", SpanKind.CLIENT, 110), "api");
    Span server = span(2, 1, "api", SpanKind.SERVER, 111);
    Span apiChild = span(3, 2, "api", SpanKind.INTERNAL, 112);

    assertThat(calls(List.of(root, client, server, apiChild)))
        .containsExactly("gateway->api@111");
  }

  @Test
  void missingParentMakesNoCall() {
    assertThat(calls(List.of(span(2, 1, "api", SpanKind.SERVER, 100)))).isEmpty();
  }

  @Test
  void linkerCountsCallsInAHalfOpenRangeSorted() {
    List<Span> trace = List.of(
        span(1, 0, "web", SpanKind.SERVER, 100),
        span(2, 1, "db", SpanKind.SERVER, 110).toBuilder().status(Status.error("x")).build(),
        span(3, 1, "auth", SpanKind.SERVER, 120),
        span(4, 1, "db", SpanKind.SERVER, 130));

    assertThat(new DependencyLinker(110, 130).putTrace(trace).putTrace(trace).link())
        .containsExactly(DependencyLink.of("web", "auth", 2, 0), DependencyLink.of("web", "db", 2, 2));
    assertThatThrownBy(() -> new DependencyLinker(2, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
