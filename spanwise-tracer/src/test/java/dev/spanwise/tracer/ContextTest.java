package dev.spanwise.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.export.InMemorySpanExporter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContextTest {
  private final Tracer tracer = TestTracers.inMemory(InMemorySpanExporter.create());

  @AfterEach
  void close() {
    tracer.close();
    assertThat(Span.current().context().isValid()).as("no context leaked").isFalse();
  }

  @Test
  void nestedScopesRestoreInOrder() {
    Span a = tracer.startSpan("a");
    Span b = tracer.startSpan("b");
    try (Scope sa = a.makeCurrent()) {
      assertThat(Span.current()).isSameAs(a);
      try (Scope sb = b.makeCurrent()) {
        assertThat(Span.current()).isSameAs(b);
      }
      assertThat(Span.current()).isSameAs(a);
    }
    assertThat(Span.current().context().isValid()).isFalse();
  }

  @Test
  void closingOutOfOrderKeepsNewestOpenScopeCurrent() {
    Span a = tracer.startSpan("a");
    Span b = tracer.startSpan("b");
    Span c = tracer.startSpan("c");
    Scope sa = a.makeCurrent();
    Scope sb = b.makeCurrent();
    Scope sc = c.makeCurrent();
    sb.close(); // out of order: c stays current
    assertThat(Span.current()).isSameAs(c);
    sc.close(); // skips the closed b
    assertThat(Span.current()).isSameAs(a);
    sc.close(); // twice: no effect
    assertThat(Span.current()).isSameAs(a);
    sa.close();
    assertThat(Span.current().context().isValid()).isFalse();
  }

  @Test
  void closingOnAnotherThreadIsIgnored() throws Exception {
    Span a = tracer.startSpan("a");
    Scope scope = a.makeCurrent();
    Thread other = new Thread(scope::close);
    other.start();
    other.join();
    assertThat(Span.current()).isSameAs(a);
    scope.close();
  }

  @Test
  void baggageTravelsWithContext() {
    Context context = Context.current().with(Baggage.empty().with("user", "alice"));
    try (Scope ignored = context.makeCurrent()) {
      Span span = tracer.startSpan("s");
      try (Scope s2 = span.makeCurrent()) {
        assertThat(Baggage.current().get("user")).isEqualTo("alice");
        assertThat(Context.current().span()).isSameAs(span);
      }
    }
    assertThat(Baggage.current().isEmpty()).isTrue();
  }

  @Test
  void wrappedRunnableCallableAndExecutorsCarryContext() throws Exception {
    Span span = tracer.startSpan("parent");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<Span> seen = new AtomicReference<>();
      Runnable runnable;
      Callable<Span> callable;
      ExecutorService wrapped = Context.taskWrapping(pool);
      java.util.concurrent.Executor wrappedExecutor = Context.taskWrapping((java.util.concurrent.Executor) pool);
      java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
      AtomicReference<Span> viaExecutor = new AtomicReference<>();
      java.util.concurrent.Future<Span> viaService;
      try (Scope ignored = span.makeCurrent()) {
        runnable = Context.current().wrap(() -> seen.set(Span.current()));
        callable = Context.current().wrap(Span::current);
        wrappedExecutor.execute(() -> {
          viaExecutor.set(Span.current());
          latch.countDown();
        });
        viaService = wrapped.submit(Span::current);
      }
      pool.submit(runnable).get();
      assertThat(seen.get()).isSameAs(span);
      assertThat(pool.submit(callable).get()).isSameAs(span);
      assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(viaExecutor.get()).isSameAs(span);
      assertThat(viaService.get()).isSameAs(span);
      // the pool thread does not keep the context after the task
      assertThat(pool.submit(() -> Span.current().context().isValid()).get()).isFalse();
    } finally {
      pool.shutdownNow();
    }
  }
}
