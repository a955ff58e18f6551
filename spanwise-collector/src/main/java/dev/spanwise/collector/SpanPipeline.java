package dev.spanwise.collector;

import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.model.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where receivers hand decoded spans. The returned future completes only when the spans are
 * durable (write-ahead log appended and fsynced in the all-in-one; Kafka acks=all in the
 * distributed layout); only then may a receiver answer success.
 *
 * <p>The future fails with {@link OverloadedException} when the pipeline cannot take more now
 * (queue or memory budget full, disk full): receivers answer 503/429 with {@code Retry-After}
 * (gRPC {@code UNAVAILABLE}/{@code RESOURCE_EXHAUSTED}). Any other failure is a server error.
 * Implementations never throw from {@code write} itself.
 */
public interface SpanPipeline extends AutoCloseable {
  CompletableFuture<Void> write(String tenant, List<Span> spans);

  /**
   * Writes the spans of an OTLP protobuf message ({@code ExportTraceServiceRequest} or {@code
   * TracesData} bytes, decompressed) that a receiver checked ({@code OtlpTraceDecoder.scan}):
   * well formed, {@code spanCount} spans, none rejected. A pipeline that logs OTLP keeps the bytes
   * as they are, and no span is decoded before the indexer reads them; by default they are
   * decoded and {@link #write(String, List) written}. A decorator must forward both methods (and
   * {@link #refusal()}).
   */
  default CompletableFuture<Void> writeOtlp(String tenant, byte[] otlpTracesData, int spanCount) {
    try {
      return write(tenant, OtlpTraceDecoder.decode(otlpTracesData).spans());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Why a write would be refused now, or null: a receiver asks before it reads and decodes a
   * request, so that under overload a refused request costs next to nothing (no body held, no
   * spans decoded). A null answer does not promise acceptance; {@link #write} still decides. By
   * default null. A decorator must forward it.
   */
  default OverloadedException refusal() {
    return null;
  }

  /** Stops taking writes, completes or fails what is in flight. */
  @Override
  default void close() {}
}
