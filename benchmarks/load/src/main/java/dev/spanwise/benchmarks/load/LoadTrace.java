package dev.spanwise.benchmarks.load;

import java.util.List;

/** One generated trace: its spans, parents before children, the root first. */
record LoadTrace(TraceId traceId, List<LoadSpan> spans, boolean error) {

  LoadSpan root() {
    return spans.get(0);
  }
}
