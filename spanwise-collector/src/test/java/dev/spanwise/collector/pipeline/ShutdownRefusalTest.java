package dev.spanwise.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.collector.OverloadedException;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.memory.InMemorySpanStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownRefusalTest {
  @TempDir Path dir;

  @Test
  void writesAfterCloseAreRefusedAsRetryableNotAsServerErrors() throws Exception {
    DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, InMemorySpanStore.create(),
        DurableSpanPipeline.Options.defaults());
    pipeline.close();
    Span span = Span.builder().resource(Resource.ofServiceName("s"))
        .traceId(TraceId.of(1, 2)).spanId(3).name("n").build();
    Throwable failure = pipeline.write(Tenants.DEFAULT, List.of(span))
        .handle((ok, e) -> e instanceof CompletionException ? e.getCause() : e).get();
    assertThat(failure).isInstanceOf(OverloadedException.class);
    assertThat(((OverloadedException) failure).reason()).isEqualTo("shutting_down");
    assertThat(((OverloadedException) failure).retryAfter()).isPositive();
  }
}
