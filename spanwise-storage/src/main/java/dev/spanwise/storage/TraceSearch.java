package dev.spanwise.storage;

import java.io.IOException;
import java.util.List;

/** Finds traces with a span matching a {@link TraceQuery}. */
public interface TraceSearch {
  /**
   * Summaries of matching traces, newest first (by trace start), at most {@link TraceQuery#limit()}.
   *
   * @throws UnsupportedQueryException when the query needs a capability this backend lacks
   */
  List<TraceSummary> search(TraceQuery query) throws IOException;
}
