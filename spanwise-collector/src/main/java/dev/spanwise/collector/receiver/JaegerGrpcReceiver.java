package dev.spanwise.collector.receiver;

import com.linecorp.armeria.server.ServerBuilder;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.collector.receiver.internal.CodecDecoders;
import dev.spanwise.collector.receiver.internal.GrpcSpanReceiverService;
import dev.spanwise.collector.receiver.internal.ReceiverMetrics;
import dev.spanwise.collector.receiver.internal.SpanBatchDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Jaeger collector's gRPC receiver: {@code jaeger.api_v2.CollectorService/PostSpans} (port {@value
 * #DEFAULT_PORT}), as the Jaeger agent and Jaeger's gRPC exporters send spans ({@code model.proto}
 * spans, process, references and logs), {@code grpc-encoding: gzip} accepted.
 *
 * <p>The same rules as {@link OtlpGrpcReceiver}: {@code OK} with an empty {@code
 * PostSpansResponse} once the pipeline has made the spans durable (spans with invalid ids are
 * dropped and counted); {@code INVALID_ARGUMENT} with a message for bad data or when no valid span
 * is left; {@code RESOURCE_EXHAUSTED} above {@link ReceiverLimits#maxBodyBytes()}; {@code
 * UNAVAILABLE} with a {@code google.rpc.RetryInfo} detail when overloaded.
 */
public final class JaegerGrpcReceiver {
  public static final int DEFAULT_PORT = 14250;
  /** The HTTP/2 path of the PostSpans method. */
  public static final String PATH = GrpcSpanReceiverService.JAEGER_POST_SPANS_PATH;

  private final GrpcSpanReceiverService<?> service;

  public JaegerGrpcReceiver(
      SpanPipeline pipeline, ReceiverLimits limits, MeterRegistry meterRegistry) {
    this(pipeline, limits, meterRegistry, CodecDecoders.jaegerProto());
  }

  JaegerGrpcReceiver(
      SpanPipeline pipeline,
      ReceiverLimits limits,
      MeterRegistry meterRegistry,
      SpanBatchDecoder decoder) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    this.service = GrpcSpanReceiverService.jaeger(
        pipeline,
        decoder,
        limits.maxBodyBytes(),
        limits.budget(),
        limits.retryAfter(),
        new ReceiverMetrics(meterRegistry, ReceiverMetrics.JAEGER_GRPC, limits.budget()));
  }

  /** Adds the PostSpans method's route ({@code POST} {@value #PATH}) to the server. */
  public void configure(ServerBuilder sb) {
    sb.route()
        .post(PATH)
        .maxRequestLength(service.maxRequestLength())
        .errorHandler(service.errorHandler())
        .build(service.httpService());
  }
}
