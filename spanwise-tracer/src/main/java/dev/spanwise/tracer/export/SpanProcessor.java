package dev.spanwise.tracer.export;

import java.time.Duration;

/**
 * Receives spans as they end. {@link #onEnd} runs on the application thread and must neither
 * block nor throw.
 */
public interface SpanProcessor {
  /** Called once for each sampled span when it ends. */
  void onEnd(SpanData span);

  /** Exports everything received so far; true if done within {@code timeout}. */
  boolean flush(Duration timeout);

  /** Flushes and stops; true if done within {@code timeout}. Later spans are ignored. */
  boolean shutdown(Duration timeout);
}
