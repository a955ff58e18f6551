package dev.spanwise.collector.pipeline;

import static dev.spanwise.collector.pipeline.PipelineTesting.spans;
import static dev.spanwise.collector.pipeline.PipelineTesting.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.storage.Tenants;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DirectSpanPipelineTest {
  final FakeSpanStore store = new FakeSpanStore();

  @Test
  void writesGoStraightToTheStore() throws Exception {
    DirectSpanPipeline pipeline = DirectSpanPipeline.create(store);
    assertThat(pipeline.write(Tenants.DEFAULT, spans(1, 2))).isCompleted();
    assertThat(store.acceptCalls.get()).isEqualTo(1);
    assertThat(store.flushCalls.get()).isZero();
    store.flush();
    assertThat(store.traceReader().getTrace(Tenants.DEFAULT, traceId(1))).hasSize(2);
  }

  @Test
  void canFlushEachWriteAndRunOnAnExecutor() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      DirectSpanPipeline pipeline =
          DirectSpanPipeline.builder(store).executor(executor).flushEachWrite(true).build();
      pipeline.write(Tenants.DEFAULT, spans(1, 3)).get(10, TimeUnit.SECONDS);
      assertThat(store.visibleSpans()).isEqualTo(3);
      assertThat(store.flushCalls.get()).isEqualTo(1);
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void aStoreFailureFailsTheFutureAndCloseRefusesWrites() {
    store.failAccepts.set(1);
    DirectSpanPipeline pipeline = DirectSpanPipeline.create(store);
    assertThatThrownBy(() -> pipeline.write(Tenants.DEFAULT, spans(1, 1)).join())
        .hasCauseInstanceOf(IOException.class);
    assertThat(pipeline.write(Tenants.DEFAULT, spans(1, 1))).isCompleted();
    pipeline.close();
    assertThat(pipeline.write(Tenants.DEFAULT, spans(1, 1))).isCompletedExceptionally();
    assertThat(pipeline.write(null, spans(1, 1))).isCompletedExceptionally();
  }
}
