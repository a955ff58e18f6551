package dev.spanwise.collector.receiver.internal;

import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.model.Span;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a decoder made of one request: the spans to write, and how many it rejected (invalid spans
 * dropped from an otherwise good request) with a message saying why, for OTLP's
 * {@code partial_success}.
 *
 * <p>An OTLP protobuf request with nothing rejected is not decoded at all: it is only scanned
 * (checked as a decode would check it, see {@code OtlpTraceDecoder.scan}), and the batch carries
 * its bytes and span count, with no span objects ({@link #passThrough}). The pipeline logs the
 * bytes as they are ({@link SpanPipeline#writeOtlp}); the indexer decodes them once, later.
 */
public record DecodedBatch(List<Span> spans, int spanCount, long rejectedSpans,
    String errorMessage, byte[] otlpTracesData) {
  public DecodedBatch(List<Span> spans, long rejectedSpans, String errorMessage) {
    this(spans, spans.size(), rejectedSpans, errorMessage, null);
  }

  public DecodedBatch {
    spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
    if (rejectedSpans < 0) throw new IllegalArgumentException("rejectedSpans must be >= 0");
    if (spanCount < 0) throw new IllegalArgumentException("spanCount must be >= 0");
    if (otlpTracesData == null && spanCount != spans.size()) {
      throw new IllegalArgumentException("spanCount " + spanCount + " but " + spans.size()
          + " spans");
    }
    if (otlpTracesData != null && !spans.isEmpty()) {
      throw new IllegalArgumentException("a pass-through batch carries bytes, not spans");
    }
    errorMessage = errorMessage == null ? "" : errorMessage;
  }

  public static DecodedBatch of(List<Span> spans) {
    return new DecodedBatch(spans, 0, "");
  }

  /**
   * An OTLP protobuf request ({@code ExportTraceServiceRequest} bytes, decompressed) that a scan
   * found valid with {@code spanCount} spans and none rejected.
   */
  public static DecodedBatch passThrough(byte[] otlpTracesData, int spanCount) {
    return new DecodedBatch(List.of(), spanCount, 0, "",
        Objects.requireNonNull(otlpTracesData, "otlpTracesData"));
  }

  /** Hands the batch to the pipeline: its bytes as received, or its spans. */
  public CompletableFuture<Void> writeTo(SpanPipeline pipeline, String tenant) {
    return otlpTracesData != null
        ? pipeline.writeOtlp(tenant, otlpTracesData, spanCount)
        : pipeline.write(tenant, spans);
  }
}
