package dev.spanwise.collector.receiver;

import dev.spanwise.collector.OverloadedException;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.model.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link SpanPipeline} for receiver tests: completes, fails, or lets the test complete it. */
final class FakePipeline implements SpanPipeline {
  enum Mode { COMPLETE, OVERLOADED, FAIL, MANUAL }

  /**
   * One call of {@link #write} or {@link #writeOtlp}: what was written and the future the
   * receiver waits on.
   */
  static final class Write {
    final String tenant;
    /** The spans written, or those the OTLP bytes hold (decoded here, for the test to see). */
    final List<Span> spans;
    /** The OTLP bytes the receiver passed on as they are ({@link #writeOtlp}), or null. */
    final byte[] otlpTracesData;
    /** The span count the receiver gave with the bytes. */
    final int spanCount;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Write(String tenant, List<Span> spans, byte[] otlpTracesData, int spanCount) {
      this.tenant = tenant;
      this.spans = List.copyOf(spans);
      this.otlpTracesData = otlpTracesData;
      this.spanCount = spanCount;
    }
  }

  private volatile Mode mode;
  private volatile Duration retryAfter = Duration.ofSeconds(3);
  final List<Write> writes = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Write> pending = new LinkedBlockingQueue<>();

  FakePipeline(Mode mode) {
    this.mode = mode;
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  void retryAfter(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  private volatile OverloadedException refusal;

  /** What {@link #refusal()} answers from now on (null: nothing to refuse). */
  void refusal(OverloadedException refusal) {
    this.refusal = refusal;
  }

  @Override
  public OverloadedException refusal() {
    return refusal;
  }

  @Override
  public CompletableFuture<Void> write(String tenant, List<Span> spans) {
    return record(new Write(tenant, spans, null, spans.size()));
  }

  @Override
  public CompletableFuture<Void> writeOtlp(String tenant, byte[] otlpTracesData, int spanCount) {
    List<Span> spans = OtlpTraceDecoder.decode(otlpTracesData).spans();
    return record(new Write(tenant, spans, otlpTracesData, spanCount));
  }

  private CompletableFuture<Void> record(Write write) {
    writes.add(write);
    switch (mode) {
      case COMPLETE:
        write.future.complete(null);
        break;
      case OVERLOADED:
        write.future.completeExceptionally(
            new OverloadedException("queue_full", retryAfter, "queue is full"));
        break;
      case FAIL:
        write.future.completeExceptionally(new IllegalStateException("disk on fire"));
        break;
      case MANUAL:
      default:
        pending.add(write);
        break;
    }
    return write.future;
  }

  /** The next write in MANUAL mode, waiting for it to arrive. */
  Write awaitWrite() throws InterruptedException {
    Write write = pending.poll(30, TimeUnit.SECONDS);
    if (write == null) throw new AssertionError("no write reached the pipeline");
    return write;
  }

  List<Span> spans() {
    List<Span> all = new ArrayList<>();
    for (Write w : writes) all.addAll(w.spans);
    return all;
  }
}
