package dev.spanwise.tracer.export;

import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Exports each span synchronously as it ends, on the application thread. For tests and
 * debugging (with {@link InMemorySpanExporter} or {@link LoggingSpanExporter}), not production.
 */
public final class SimpleSpanProcessor implements SpanProcessor {
  private static final Logger LOG = Logger.getLogger(SimpleSpanProcessor.class.getName());
  private final SpanExporter exporter;
  private volatile boolean shutdown;

  private SimpleSpanProcessor(SpanExporter exporter) {
    this.exporter = exporter;
  }

  public static SimpleSpanProcessor create(SpanExporter exporter) {
    return new SimpleSpanProcessor(Objects.requireNonNull(exporter, "exporter"));
  }

  @Override
  public void onEnd(SpanData span) {
    if (shutdown) {
      return;
    }
    try {
      synchronized (this) {
        exporter.export(Collections.singletonList(span));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "span exporter threw", e);
    }
  }

  @Override
  public boolean flush(Duration timeout) {
    return exporter.flush() == ExportResult.SUCCESS;
  }

  @Override
  public boolean shutdown(Duration timeout) {
    shutdown = true;
    exporter.shutdown(timeout);
    return true;
  }
}
