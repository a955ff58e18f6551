package dev.spanwise.collector.pipeline;

import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

final class PipelineTesting {
  private PipelineTesting() {}

  static TraceId traceId(int trace) {
    return TraceId.of(0x1234L, trace + 1L);
  }

  /** {@code count} spans of trace {@code trace}, span ids 1..count. */
  static List<Span> spans(int trace, int count) {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      spans.add(Span.builder()
          .resource(Resource.ofServiceName("checkout"))
          .traceId(traceId(trace))
          .spanId(i)
          .parentSpanId(i == 1 ? 0 : 1)
          .name("op-" + i)
          .kind(SpanKind.SERVER)
          .startEpochNanos(1_700_000_000_000_000_000L + i)
          .endEpochNanos(1_700_000_000_000_500_000L + i)
          .build());
    }
    return spans;
  }

  static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(2);
    }
  }
}
