package dev.spanwise.storage;

import java.io.IOException;
import java.util.List;

/** Service-to-service call edges, maintained at ingest. */
public interface DependencyReader {
  /**
   * Edges with their call and error counts for calls that started in [{@code startEpochNanos},
   * {@code endEpochNanos}), sorted by parent then child.
   */
  List<DependencyLink> dependencies(String tenant, long startEpochNanos, long endEpochNanos)
      throws IOException;
}
