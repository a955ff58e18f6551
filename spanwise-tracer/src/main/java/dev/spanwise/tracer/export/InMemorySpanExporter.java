package dev.spanwise.tracer.export;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Keeps exported spans in memory, for users' tests. Thread-safe. */
public final class InMemorySpanExporter implements SpanExporter {
  private final List<SpanData> spans = new ArrayList<>();
  private boolean shutdown;

  public static InMemorySpanExporter create() {
    return new InMemorySpanExporter();
  }

  @Override
  public synchronized ExportResult export(Collection<SpanData> batch) {
    if (shutdown) {
      return ExportResult.FAILURE;
    }
    spans.addAll(batch);
    return ExportResult.SUCCESS;
  }

  /** A copy of the spans exported so far, in export order. */
  public synchronized List<SpanData> finishedSpans() {
    return new ArrayList<>(spans);
  }

  /** The exported span named {@code name}; fails if there is not exactly one. */
  public synchronized SpanData onlySpanNamed(String name) {
    SpanData found = null;
    for (SpanData span : spans) {
      if (span.name().equals(name)) {
        if (found != null) {
          throw new AssertionError("more than one span named " + name);
        }
        found = span;
      }
    }
    if (found == null) {
      throw new AssertionError("no span named " + name + " among " + spans);
    }
    return found;
  }

  public synchronized void reset() {
    spans.clear();
  }

  @Override
  public synchronized void shutdown(java.time.Duration timeout) {
    shutdown = true;
  }
}
