package dev.spanwise.storage.embedded.internal;

import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writer's memory of recently written traces: per trace, what dependency links and duplicate
 * detection need to know of each stored span. Least recently used traces are evicted once more
 * than {@code maxSpans} spans are held. Used by the single writer only; not thread-safe.
 */
final class TraceCache {
  /** What the writer remembers of one stored span. */
  static final class SpanInfo {
    final long spanId;
    final long parentSpanId;
    final SpanKind kind;
    final String service;
    final long start;
    final boolean error;
    /** {@code peer.service} of a CLIENT or PRODUCER span, else null. */
    final String peerService;

    SpanInfo(long spanId, long parentSpanId, SpanKind kind, String service, long start,
        boolean error, String peerService) {
      this.spanId = spanId;
      this.parentSpanId = parentSpanId;
      this.kind = kind;
      this.service = service;
      this.start = start;
      this.error = error;
      this.peerService = peerService;
    }
  }

  /** The spans stored for one trace, and when they were last written. */
  static final class TraceState {
    final List<SpanInfo> spans = new ArrayList<>(8);
    long lastWriteSeq;
    long minStart = Long.MAX_VALUE;
    long maxStart = Long.MIN_VALUE;

    /** Identities of the spans, once the trace is too big to scan. */
    private Set<SpanKey> keys;

    private record SpanKey(long spanId, SpanKind kind) {}

    void add(SpanInfo s) {
      spans.add(s);
      minStart = Math.min(minStart, s.start);
      maxStart = Math.max(maxStart, s.start);
      if (keys != null) keys.add(new SpanKey(s.spanId, s.kind));
    }

    boolean contains(long spanId, SpanKind kind) {
      if (spans.size() <= 32) {
        for (SpanInfo s : spans) {
          if (s.spanId == spanId && s.kind == kind) return true;
        }
        return false;
      }
      if (keys == null) {
        keys = new HashSet<>(spans.size() * 2);
        for (SpanInfo s : spans) keys.add(new SpanKey(s.spanId, s.kind));
      }
      return keys.contains(new SpanKey(spanId, kind));
    }
  }

  private final int maxSpans;
  private final LinkedHashMap<TraceId, TraceState> traces;
  private int spanCount;
  /**
   * Traces evicted while their newest spans may not be searchable yet (written after the last
   * refresh of the index's reader), with that write sequence. Only these make a look-up refresh.
   */
  private final Map<TraceId, Long> unsearchableEvictions = new HashMap<>();
  private long prunedAtSeq = -1;

  TraceCache(int maxSpans) {
    this.maxSpans = maxSpans;
    this.traces = new LinkedHashMap<>(1024, 0.75f, true);
  }

  TraceState get(TraceId traceId) {
    return traces.get(traceId);
  }

  void put(TraceId traceId, TraceState state) {
    TraceState old = traces.put(traceId, state);
    if (old != null) spanCount -= old.spans.size();
    spanCount += state.spans.size();
  }

  /** Records that {@code added} spans were added to a trace already held. */
  void grew(int added) {
    spanCount += added;
  }

  /**
   * Evicts least recently used traces while over capacity, remembering the ids of those written
   * after {@code refreshedSeq} (the write sequence the index's reader shows).
   */
  void evict(long refreshedSeq) {
    if (spanCount <= maxSpans) return;
    Iterator<Map.Entry<TraceId, TraceState>> it = traces.entrySet().iterator();
    while (spanCount > maxSpans && it.hasNext()) {
      Map.Entry<TraceId, TraceState> e = it.next();
      TraceState s = e.getValue();
      spanCount -= s.spans.size();
      if (s.lastWriteSeq > refreshedSeq) unsearchableEvictions.put(e.getKey(), s.lastWriteSeq);
      it.remove();
    }
  }

  /**
   * Whether the index's reader at {@code refreshedSeq} may miss spans of this trace, which is not
   * held here: it was evicted after a write the reader does not show yet.
   */
  boolean mayBeUnsearchable(TraceId traceId, long refreshedSeq) {
    Long seq = unsearchableEvictions.get(traceId);
    return seq != null && seq > refreshedSeq;
  }

  /** Forgets evictions the reader at {@code refreshedSeq} shows; how many are left. */
  int pruneSearchable(long refreshedSeq) {
    if (refreshedSeq != prunedAtSeq && !unsearchableEvictions.isEmpty()) {
      unsearchableEvictions.values().removeIf(seq -> seq <= refreshedSeq);
      prunedAtSeq = refreshedSeq;
    }
    return unsearchableEvictions.size();
  }

  /** Forgets traces whose spans all started before {@code cutoff}. */
  void deleteBefore(long cutoff) {
    Iterator<TraceState> it = traces.values().iterator();
    while (it.hasNext()) {
      TraceState t = it.next();
      boolean old = true;
      for (SpanInfo s : t.spans) {
        if (s.start >= cutoff) {
          old = false;
          break;
        }
      }
      if (old) {
        spanCount -= t.spans.size();
        it.remove();
      }
    }
  }

}
