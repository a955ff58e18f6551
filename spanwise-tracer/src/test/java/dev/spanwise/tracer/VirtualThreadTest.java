package dev.spanwise.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.export.InMemorySpanExporter;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Context wrapping on virtual threads (runs on JDK 21+, skipped on older JDKs). */
class VirtualThreadTest {

  @Test
  void wrappedExecutorCarriesContextToVirtualThreads() throws Exception {
    Method factory;
    try {
      factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
    } catch (NoSuchMethodException e) {
      Assumptions.abort("virtual threads need JDK 21+; this is " + Runtime.version());
      return;
    }
    Tracer tracer = TestTracers.inMemory(InMemorySpanExporter.create());
    ExecutorService virtual = Context.taskWrapping((ExecutorService) factory.invoke(null));
    try {
      Span parent = tracer.startSpan("parent");
      Future<String> seen;
      try (Scope ignored = parent.makeCurrent()) {
        seen = virtual.submit(() -> Span.current().context().spanIdHex());
      }
      assertThat(seen.get()).isEqualTo(parent.context().spanIdHex());
    } finally {
      virtual.shutdown();
      tracer.close();
    }
  }
}
