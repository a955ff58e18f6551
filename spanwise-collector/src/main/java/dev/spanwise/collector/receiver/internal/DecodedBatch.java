package dev.spanwise.collector.receiver.internal;

import dev.spanwise.model.Span;
import java.util.List;
import java.util.Objects;

/**
 * What a decoder made of one request: the spans to write, and how many it rejected (invalid spans
 * dropped from an otherwise good request) with a message saying why, for OTLP's
 * {@code partial_success}; and, for an OTLP protobuf request with nothing rejected, the request's
 * bytes, which the pipeline may log as they are ({@link
 * dev.spanwise.collector.SpanPipeline#write(String, List, byte[])}), else null.
 */
public record DecodedBatch(
    List<Span> spans, long rejectedSpans, String errorMessage, byte[] otlpTracesData) {
  public DecodedBatch(List<Span> spans, long rejectedSpans, String errorMessage) {
    this(spans, rejectedSpans, errorMessage, null);
  }

  public DecodedBatch {
    spans = List.copyOf(Objects.requireNonNull(spans, "spans"));
    if (rejectedSpans < 0) throw new IllegalArgumentException("rejectedSpans must be >= 0");
    errorMessage = errorMessage == null ? "" : errorMessage;
  }

  public static DecodedBatch of(List<Span> spans) {
    return new DecodedBatch(spans, 0, "");
  }
}
