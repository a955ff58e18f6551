package dev.spanwise.storage;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Derives service-to-service calls from the spans of one trace, the same way in every backend.
 *
 * <p>A call is counted:
 *
 * <ul>
 *   <li>for each span whose parent (same trace) belongs to another service: parent service to
 *       child service, an error when the child span has error status, at the child's start;
 *   <li>for each {@link SpanKind#CLIENT} or {@link SpanKind#PRODUCER} span with a {@code
 *       peer.service} attribute and no span of another service answering it (a child, or the
 *       SERVER/CONSUMER side sharing its span id as Zipkin's shared spans do): its service to the
 *       peer service, an error when the span has error status, at the span's start.
 * </ul>
 *
 * <p>When several spans share the parent's span id (a Zipkin CLIENT/SERVER pair), the parent is the
 * one of the child's own service if there is one, else the SERVER or CONSUMER side.
 *
 * <p>Use {@link #forEachCall} to maintain rollups at ingest, or an instance to link traces read
 * back: {@code new DependencyLinker(start, end).putTrace(spans).link()}.
 */
public final class DependencyLinker {
  /** The attribute naming the remote service of a client or producer span. */
  public static final String PEER_SERVICE = "peer.service";

  /** Receives one derived call. */
  @FunctionalInterface
  public interface CallConsumer {
    void accept(String parentService, String childService, long startEpochNanos, boolean error);
  }

  private final long startEpochNanos;
  private final long endEpochNanos;
  private final Map<String, long[]> counts = new TreeMap<>();

  /** Counts calls starting in [{@code startEpochNanos}, {@code endEpochNanos}). */
  public DependencyLinker(long startEpochNanos, long endEpochNanos) {
    if (endEpochNanos < startEpochNanos) {
      throw new IllegalArgumentException("endEpochNanos is before startEpochNanos");
    }
    this.startEpochNanos = startEpochNanos;
    this.endEpochNanos = endEpochNanos;
  }

  /** Adds the calls of one trace (all its spans) that start in range. */
  public DependencyLinker putTrace(Collection<Span> trace) {
    forEachCall(trace, (parent, child, start, error) -> {
      if (start < startEpochNanos || start >= endEpochNanos) return;
      long[] c = counts.computeIfAbsent(parent + '\u0000' + child, k -> new long[2]);
      c[0]++;
      if (error) c[1]++;
    });
    return this;
  }

  /** The edges added so far, sorted by parent then child. */
  public List<DependencyLink> link() {
    List<DependencyLink> result = new ArrayList<>(counts.size());
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      int sep = e.getKey().indexOf('\u0000');
      result.add(DependencyLink.of(e.getKey().substring(0, sep), e.getKey().substring(sep + 1),
          e.getValue()[0], e.getValue()[1]));
    }
    result.sort(null);
    return result;
  }

  /** Calls {@code consumer} once per call derived from the spans of one trace. */
  public static void forEachCall(Collection<Span> trace, CallConsumer consumer) {
    Map<Long, List<Span>> byId = new HashMap<>(trace.size() * 2);
    for (Span span : trace) byId.computeIfAbsent(span.spanId(), k -> new ArrayList<>(1)).add(span);

    Set<Span> answeredRemotely = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Span span : trace) {
      if (span.isRoot()) continue;
      Span parent = parentOf(span, byId.get(span.parentSpanId()));
      if (parent == null) continue;
      String childService = span.serviceName();
      if (!parent.serviceName().equals(childService)) {
        consumer.accept(parent.serviceName(), childService, span.startEpochNanos(), span.isError());
        answeredRemotely.add(parent);
      }
    }

    for (Span span : trace) {
      if (span.kind() != SpanKind.CLIENT && span.kind() != SpanKind.PRODUCER) continue;
      String peer = span.attributes().getString(PEER_SERVICE);
      String service = span.serviceName();
      if (peer == null || peer.isEmpty() || peer.equals(service)) continue;
      if (hasRemoteAnswer(span, byId, answeredRemotely)) continue;
      consumer.accept(service, peer, span.startEpochNanos(), span.isError());
    }
  }

  private static boolean hasRemoteAnswer(
      Span client, Map<Long, List<Span>> byId, Set<Span> answeredRemotely) {
    if (answeredRemotely.contains(client)) return true;
    for (Span shared : byId.get(client.spanId())) {
      boolean remoteSide = shared.kind() == SpanKind.SERVER || shared.kind() == SpanKind.CONSUMER;
      if (shared != client && remoteSide && !shared.serviceName().equals(client.serviceName())) {
        return true;
      }
    }
    return false;
  }

  private static Span parentOf(Span child, List<Span> candidates) {
    if (candidates == null) return null;
    Span remoteSide = null;
    Span any = null;
    for (Span candidate : candidates) {
      if (candidate == child) continue;
      if (candidate.serviceName().equals(child.serviceName())) return candidate;
      if (candidate.kind() == SpanKind.SERVER || candidate.kind() == SpanKind.CONSUMER) {
        remoteSide = candidate;
      } else if (any == null) {
        any = candidate;
      }
    }
    return remoteSide != null ? remoteSide : any;
  }
}
