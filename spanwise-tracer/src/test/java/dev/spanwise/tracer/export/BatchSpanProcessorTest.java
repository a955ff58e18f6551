package dev.spanwise.tracer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.Tracer;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchSpanProcessorTest {

  /** Blocks every export until released. */
  static final class BlockingExporter implements SpanExporter {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);
    final InMemorySpanExporter delegate = InMemorySpanExporter.create();

    @Override
    public ExportResult export(Collection<SpanData> spans) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return delegate.export(spans);
    }
  }

  @Test
  void fullQueueDropsAndCountsWithoutBlockingTheApplication() throws Exception {
    BlockingExporter exporter = new BlockingExporter();
    BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter)
        .maxQueueSize(4).maxExportBatchSize(1).scheduleDelay(Duration.ofMillis(1)).build();
    Tracer tracer = Tracer.builder().addSpanProcessor(processor).build();
    tracer.startSpan("first").end();
    assertThat(exporter.entered.await(5, TimeUnit.SECONDS)).isTrue(); // worker is stuck exporting
    for (int i = 0; i < 10; i++) {
      tracer.startSpan("s" + i).end(); // must return although the exporter is stuck
    }
    assertThat(processor.droppedSpans()).isEqualTo(6);
    assertThat(processor.queuedSpans()).isEqualTo(4);
    exporter.release.countDown();
    assertThat(tracer.close(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.delegate.finishedSpans()).hasSize(5);
    assertThat(processor.exportedSpans()).isEqualTo(5);
  }

  @Test
  void flushExportsEverythingQueued() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter)
        .scheduleDelay(Duration.ofHours(1)).build();
    Tracer tracer = Tracer.builder().addSpanProcessor(processor).build();
    for (int i = 0; i < 1000; i++) {
      tracer.startSpan("s").end();
    }
    assertThat(tracer.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.finishedSpans()).hasSize(1000);
    tracer.close();
    Span late = tracer.startSpan("late");
    late.end();
    assertThat(exporter.finishedSpans()).hasSize(1000);
  }

  @Test
  void exportsOnScheduleWithoutFlush() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    Tracer tracer = Tracer.builder().addSpanProcessor(BatchSpanProcessor.builder(exporter)
        .scheduleDelay(Duration.ofMillis(10)).build()).build();
    tracer.startSpan("scheduled").end();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (exporter.finishedSpans().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(exporter.finishedSpans()).hasSize(1);
    tracer.close();
  }

  @Test
  void throwingExporterNeverReachesTheApplication() {
    SpanExporter throwing = spans -> {
      throw new IllegalStateException("exporter bug");
    };
    BatchSpanProcessor processor = BatchSpanProcessor.builder(throwing).build();
    Tracer tracer = Tracer.builder().addSpanProcessor(processor).build();
    tracer.startSpan("x").end();
    assertThat(tracer.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(processor.failedSpans()).isEqualTo(1);
    tracer.close();
  }

  @Test
  void closeTimesOutWhenTheExporterHangs() {
    BlockingExporter exporter = new BlockingExporter();
    Tracer tracer = Tracer.builder().addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
    tracer.startSpan("x").end();
    assertThat(tracer.close(Duration.ofMillis(200))).isFalse();
    exporter.release.countDown();
  }

  @Test
  void builderValidatesNamingTheField() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    assertThatThrownBy(() -> BatchSpanProcessor.builder(exporter).maxQueueSize(0))
        .hasMessageContaining("maxQueueSize");
    assertThatThrownBy(() -> BatchSpanProcessor.builder(exporter).maxQueueSize(2).maxExportBatchSize(3).build())
        .hasMessageContaining("maxExportBatchSize");
  }
}
