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
 * OTLP/gRPC trace receiver: {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}
 * (port {@value #DEFAULT_PORT} in production), over HTTP/2 with or without TLS as the server is
 * configured, {@code grpc-encoding: gzip} accepted.
 *
 * <p>Answers {@code OK} with an {@code ExportTraceServiceResponse} (with {@code partial_success}
 * when spans were rejected) once the pipeline has made the spans durable; {@code INVALID_ARGUMENT}
 * with a message for bad data; {@code RESOURCE_EXHAUSTED} above {@link
 * ReceiverLimits#maxBodyBytes()} after decompression; {@code UNAVAILABLE} with a {@code
 * google.rpc.RetryInfo} detail when overloaded.
 */
public final class OtlpGrpcReceiver {
  public static final int DEFAULT_PORT = 4317;
  /** The HTTP/2 path of the Export method. */
  public static final String PATH = GrpcSpanReceiverService.OTLP_EXPORT_PATH;

  private final GrpcSpanReceiverService<?> service;

  public OtlpGrpcReceiver(SpanPipeline pipeline, ReceiverLimits limits, MeterRegistry meterRegistry) {
    this(pipeline, limits, meterRegistry, CodecDecoders.otlpProtobuf());
  }

  OtlpGrpcReceiver(
      SpanPipeline pipeline,
      ReceiverLimits limits,
      MeterRegistry meterRegistry,
      SpanBatchDecoder decoder) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    this.service = GrpcSpanReceiverService.otlp(
        pipeline,
        decoder,
        limits.maxBodyBytes(),
        limits.budget(),
        limits.retryAfter(),
        new ReceiverMetrics(meterRegistry, ReceiverMetrics.OTLP_GRPC, limits.budget()));
  }

  /** Adds the Export method's route ({@code POST} {@value #PATH}) to the server. */
  public void configure(ServerBuilder sb) {
    sb.route()
        .post(PATH)
        .maxRequestLength(service.maxRequestLength())
        .errorHandler(service.errorHandler())
        .build(service.httpService());
  }
}
