package dev.spanwise.storage.embedded;

import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.tests.SpanStoreConformanceTest;
import java.io.IOException;
import java.nio.file.Path;

/** The whole storage conformance suite against the embedded Lucene store. */
class EmbeddedSpanStoreConformanceTest extends SpanStoreConformanceTest {
  @Override
  protected SpanStore openStore(Path dir) throws IOException {
    return EmbeddedSpanStore.open(dir, EmbeddedSpanStore.Options.builder().ramBufferMb(16).build());
  }

  @Override
  protected boolean durable() {
    return true;
  }
}
