package dev.spanwise.storage.embedded.internal;

import dev.spanwise.model.SpanKind;
import dev.spanwise.storage.embedded.internal.TraceCache.SpanInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service-to-service calls of one trace, by the rules of {@code
 * dev.spanwise.storage.DependencyLinker} (which works on whole spans; this works on what the
 * writer remembers of them). The writer links a trace before and after a batch adds spans to it
 * and records the difference, so rollups equal linking whole traces, however their spans arrive,
 * and replayed spans (which add nothing) change nothing.
 */
final class TraceLinks {
  /** Receives one call. */
  interface CallSink {
    void call(String parentService, String childService, long time, boolean error);
  }

  private TraceLinks() {}

  static void forEachCall(List<SpanInfo> trace, CallSink sink) {
    if (trace.size() < 2) {
      if (trace.size() == 1) peerCall(trace.get(0), null, Set.of(), sink);
      return;
    }
    Map<Long, List<SpanInfo>> byId = new HashMap<>(trace.size() * 2);
    for (SpanInfo s : trace) byId.computeIfAbsent(s.spanId, k -> new ArrayList<>(1)).add(s);
    Set<SpanInfo> answeredRemotely = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SpanInfo span : trace) {
      if (span.parentSpanId == 0) continue;
      SpanInfo parent = parentOf(span, byId.get(span.parentSpanId));
      if (parent == null || parent.service.equals(span.service)) continue;
      sink.call(parent.service, span.service, span.start, span.error);
      answeredRemotely.add(parent);
    }
    for (SpanInfo span : trace) peerCall(span, byId, answeredRemotely, sink);
  }

  private static void peerCall(SpanInfo span, Map<Long, List<SpanInfo>> byId,
      Set<SpanInfo> answeredRemotely, CallSink sink) {
    if (span.kind != SpanKind.CLIENT && span.kind != SpanKind.PRODUCER) return;
    String peer = span.peerService;
    if (peer == null || peer.isEmpty() || peer.equals(span.service)) return;
    if (answeredRemotely.contains(span)) return;
    if (byId != null) {
      for (SpanInfo shared : byId.get(span.spanId)) {
        boolean remoteSide = shared.kind == SpanKind.SERVER || shared.kind == SpanKind.CONSUMER;
        if (shared != span && remoteSide && !shared.service.equals(span.service)) return;
      }
    }
    sink.call(span.service, peer, span.start, span.error);
  }

  /** Of spans sharing the parent's id: the child's own service's, else SERVER/CONSUMER, else any. */
  private static SpanInfo parentOf(SpanInfo child, List<SpanInfo> candidates) {
    if (candidates == null) return null;
    SpanInfo remoteSide = null;
    SpanInfo any = null;
    for (SpanInfo candidate : candidates) {
      if (candidate == child) continue;
      if (candidate.service.equals(child.service)) return candidate;
      if (candidate.kind == SpanKind.SERVER || candidate.kind == SpanKind.CONSUMER) {
        remoteSide = candidate;
      } else if (any == null) {
        any = candidate;
      }
    }
    return remoteSide != null ? remoteSide : any;
  }
}
