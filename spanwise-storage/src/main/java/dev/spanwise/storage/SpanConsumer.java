package dev.spanwise.storage;

import dev.spanwise.model.Span;
import java.io.IOException;
import java.util.List;

/**
 * Writes spans to a store. Writes are idempotent by (trace id, span id, kind): writing the same
 * span twice, as a replay of the write-ahead log does, leaves one copy.
 */
public interface SpanConsumer {
  /** Returns when the spans are written (visible to readers after {@link SpanStore#flush()}). */
  void accept(String tenant, List<Span> spans) throws IOException;
}
