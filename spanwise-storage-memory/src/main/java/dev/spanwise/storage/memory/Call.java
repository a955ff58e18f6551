package dev.spanwise.storage.memory;

import dev.spanwise.model.TraceId;
import java.util.Comparator;

/** One service-to-service call derived from a trace, indexed by its start. */
record Call(long start, TraceId traceId, int seq, String parent, String child, boolean error) {
  static final Comparator<Call> BY_START = Comparator.comparingLong(Call::start)
      .thenComparing(Call::traceId)
      .thenComparingInt(Call::seq);

  /** Sorts before every call starting at {@code start}. */
  static Call probe(long start) {
    return new Call(start, TraceId.INVALID, Integer.MIN_VALUE, "", "", false);
  }
}
