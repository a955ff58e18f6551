package dev.spanwise.storage.memory;

import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.tests.SpanStoreConformanceTest;
import java.nio.file.Path;

/** The in-memory store passes the whole conformance suite. */
class InMemorySpanStoreConformanceTest extends SpanStoreConformanceTest {
  @Override
  protected SpanStore openStore(Path dir) {
    return InMemorySpanStore.create();
  }
}
