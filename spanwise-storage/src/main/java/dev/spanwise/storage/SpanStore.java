package dev.spanwise.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;

/**
 * A storage backend: one object per question it answers, and the capabilities it declares. A
 * backend that lacks a capability returns a part that throws {@link UnsupportedQueryException}.
 */
public interface SpanStore extends Closeable {
  /** What this backend can answer. */
  Set<StorageCapability> capabilities();

  default boolean has(StorageCapability capability) {
    return capabilities().contains(capability);
  }

  SpanConsumer spanConsumer();

  TraceReader traceReader();

  TraceSearch traceSearch();

  ServiceNames serviceNames();

  AttributeNames attributeNames();

  DependencyReader dependencyReader();

  /** Makes everything accepted so far visible to readers (a Lucene refresh, say). */
  default void flush() throws IOException {}

  /**
   * Deletes spans (and rollups) of traces whose spans all started before {@code cutoffEpochNanos}.
   * Needs {@link StorageCapability#RETENTION}.
   */
  default void deleteBefore(long cutoffEpochNanos) throws IOException {
    throw new UnsupportedQueryException(StorageCapability.RETENTION,
        "this storage backend does not delete old data");
  }

  /** Bytes this backend occupies on disk; 0 for memory-only backends. */
  default long diskBytes() {
    return 0;
  }

  @Override
  default void close() throws IOException {}
}
