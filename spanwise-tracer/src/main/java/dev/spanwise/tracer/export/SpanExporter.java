package dev.spanwise.tracer.export;

import java.time.Duration;
import java.util.Collection;

/**
 * Sends finished spans somewhere. Called from one thread at a time (the batch processor's
 * worker); may block that thread, never an application thread.
 */
public interface SpanExporter {
  ExportResult export(Collection<SpanData> spans);

  /** Sends anything buffered. */
  default ExportResult flush() {
    return ExportResult.SUCCESS;
  }

  /** Releases resources; later exports fail. */
  default void shutdown(Duration timeout) {}
}
