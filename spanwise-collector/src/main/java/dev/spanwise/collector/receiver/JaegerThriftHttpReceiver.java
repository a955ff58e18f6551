package dev.spanwise.collector.receiver;

import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.collector.receiver.internal.CodecDecoders;
import dev.spanwise.collector.receiver.internal.HttpFormat;
import dev.spanwise.collector.receiver.internal.HttpFormats;
import dev.spanwise.collector.receiver.internal.HttpSpanReceiverService;
import dev.spanwise.collector.receiver.internal.ReceiverMetrics;
import dev.spanwise.collector.receiver.internal.SpanBatchDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Jaeger collector's Thrift-over-HTTP receiver: {@code POST /api/traces} (port {@value
 * #DEFAULT_PORT}), as Jaeger clients send spans when {@code JAEGER_ENDPOINT} is set.
 *
 * <p>Takes a Thrift binary-encoded {@code jaeger.thrift} {@code Batch} with Content-Type {@code
 * application/vnd.apache.thrift.binary} or {@code application/x-thrift}, with {@code
 * Content-Encoding: gzip} or none. Answers 202 with no body once the pipeline has made the spans
 * durable (spans with invalid ids are dropped and counted in {@code spanwise.spans.refused}); 400
 * in plain text naming the problem (also when no valid span is left); 413 above {@link
 * ReceiverLimits#maxBodyBytes()} after decompression; 415 for another content type or coding; 405
 * for another method; 503 with {@code Retry-After} when overloaded.
 */
public final class JaegerThriftHttpReceiver {
  public static final int DEFAULT_PORT = 14268;
  public static final String PATH = "/api/traces";

  private final ReceiverLimits limits;
  private final HttpSpanReceiverService service;

  public JaegerThriftHttpReceiver(
      SpanPipeline pipeline, ReceiverLimits limits, MeterRegistry meterRegistry) {
    this(pipeline, limits, meterRegistry, CodecDecoders.jaegerThrift());
  }

  JaegerThriftHttpReceiver(
      SpanPipeline pipeline,
      ReceiverLimits limits,
      MeterRegistry meterRegistry,
      SpanBatchDecoder decoder) {
    Objects.requireNonNull(pipeline, "pipeline");
    this.limits = Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    HttpFormat thrift = HttpFormats.zipkin(decoder); // 202, errors in plain text, as Jaeger does
    this.service = new HttpSpanReceiverService(
        pipeline,
        type -> isThrift(type) ? thrift : null,
        "application/vnd.apache.thrift.binary or application/x-thrift",
        HttpFormats.plainText(),
        limits.maxBodyBytes(),
        limits.budget(),
        limits.retryAfter(),
        new ReceiverMetrics(meterRegistry, ReceiverMetrics.JAEGER_THRIFT_HTTP, limits.budget()));
  }

  static boolean isThrift(MediaType type) {
    if (type == null || !type.type().equals("application")) return false;
    return type.subtype().equals("vnd.apache.thrift.binary") || type.subtype().equals("x-thrift");
  }

  /** Adds {@code POST /api/traces} to the server. */
  public void configure(ServerBuilder sb) {
    sb.route()
        .post(PATH)
        .maxRequestLength(limits.maxBodyBytes())
        .errorHandler(service.errorHandler())
        .build(service);
  }
}
