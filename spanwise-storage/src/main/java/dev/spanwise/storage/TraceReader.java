package dev.spanwise.storage;

import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads whole traces by id. */
public interface TraceReader {
  /** All stored spans of the trace, ordered by start time; empty when the trace is unknown. */
  List<Span> getTrace(String tenant, TraceId traceId) throws IOException;

  /** The traces that exist, in the order asked, each ordered by start time; unknown ids skipped. */
  default List<List<Span>> getTraces(String tenant, Collection<TraceId> traceIds)
      throws IOException {
    List<List<Span>> result = new ArrayList<>(traceIds.size());
    for (TraceId id : traceIds) {
      List<Span> trace = getTrace(tenant, id);
      if (!trace.isEmpty()) result.add(trace);
    }
    return result;
  }
}
