package dev.spanwise.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SpanData;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Context on virtual threads. Runs on JDK 21+; the build runs this class a second time on the
 * machine's JDK 25 when it has one ({@code virtual-threads} profile of this module), and skips it
 * on older JDKs.
 */
class VirtualThreadTest {

  private static ExecutorService newVirtualThreadPerTaskExecutor() throws Exception {
    Method factory;
    try {
      factory = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
    } catch (NoSuchMethodException e) {
      Assumptions.abort("virtual threads need JDK 21+; this is " + Runtime.version());
      return null;
    }
    return (ExecutorService) factory.invoke(null);
  }

  @Test
  void wrappedExecutorCarriesContextToVirtualThreads() throws Exception {
    ExecutorService virtual = Context.taskWrapping(newVirtualThreadPerTaskExecutor());
    Tracer tracer = TestTracers.inMemory(InMemorySpanExporter.create());
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

  /**
   * Thousands of virtual threads, more than the carrier threads under them, each with its own
   * current span across blocking sleeps (which unmount and remount them, possibly on another
   * carrier): each child is parented by its own thread's span, never a neighbour's, and nothing
   * stays current after the scope closes.
   */
  @Test
  void eachVirtualThreadKeepsItsOwnCurrentSpanAcrossUnmounts() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    Tracer tracer = TestTracers.inMemory(exporter);
    int threads = 2_000;
    List<Future<Boolean>> leftClean = new ArrayList<>();
    ExecutorService virtual = newVirtualThreadPerTaskExecutor();
    try {
      for (int i = 0; i < threads; i++) {
        String name = "request-" + i;
        leftClean.add(virtual.submit(() -> {
          Span request = tracer.startSpan(name);
          try (Scope ignored = request.makeCurrent()) {
            Thread.sleep(1); // unmounts the virtual thread
            Span child = tracer.startSpan("child-of-" + name);
            Thread.sleep(1);
            child.end();
          } finally {
            request.end();
          }
          return !Span.current().context().isValid();
        }));
      }
      for (Future<Boolean> clean : leftClean) {
        assertThat(clean.get()).isTrue();
      }
    } finally {
      virtual.shutdown();
    }
    tracer.close();
    Map<String, SpanData> byName = exporter.finishedSpans().stream()
        .collect(Collectors.toMap(SpanData::name, s -> s));
    assertThat(byName).hasSize(2 * threads);
    for (int i = 0; i < threads; i++) {
      SpanData request = byName.get("request-" + i);
      SpanData child = byName.get("child-of-request-" + i);
      assertThat(child.parentSpanId()).as("parent of child %d", i)
          .isEqualTo(request.spanContext().spanId());
      assertThat(child.spanContext().traceId()).isEqualTo(request.spanContext().traceId());
    }
  }
}
