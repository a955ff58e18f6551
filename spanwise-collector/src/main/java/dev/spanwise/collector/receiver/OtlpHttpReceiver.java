package dev.spanwise.collector.receiver;

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
 * OTLP/HTTP trace receiver: {@code POST /v1/traces} (port {@value #DEFAULT_PORT} in production).
 *
 * <p>Takes {@code application/x-protobuf} and {@code application/json} (OTLP/JSON, hex ids), with
 * {@code Content-Encoding: gzip} or none, and answers in the request's encoding: 200 with an
 * {@code ExportTraceServiceResponse} (with {@code partial_success} when spans were rejected) once
 * the pipeline has made the spans durable; 400 with a {@code google.rpc.Status} naming the problem;
 * 413 above {@link ReceiverLimits#maxBodyBytes()} after decompression; 415 for another content type
 * or coding; 405 for another method; 503 with {@code Retry-After} when overloaded.
 */
public final class OtlpHttpReceiver {
  public static final int DEFAULT_PORT = 4318;
  public static final String PATH = "/v1/traces";

  private final ReceiverLimits limits;
  private final HttpSpanReceiverService service;

  public OtlpHttpReceiver(SpanPipeline pipeline, ReceiverLimits limits, MeterRegistry meterRegistry) {
    this(pipeline, limits, meterRegistry, CodecDecoders.otlpProtobuf(), CodecDecoders.otlpJson());
  }

  OtlpHttpReceiver(
      SpanPipeline pipeline,
      ReceiverLimits limits,
      MeterRegistry meterRegistry,
      SpanBatchDecoder protobufDecoder,
      SpanBatchDecoder jsonDecoder) {
    Objects.requireNonNull(pipeline, "pipeline");
    this.limits = Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    HttpFormat protobuf = HttpFormats.otlpProtobuf(protobufDecoder);
    HttpFormat json = HttpFormats.otlpJson(jsonDecoder);
    this.service = new HttpSpanReceiverService(
        pipeline,
        type -> {
          if (type == null || !type.type().equals("application")) return null;
          switch (type.subtype()) {
            case "x-protobuf": return protobuf;
            case "json": return json;
            default: return null;
          }
        },
        "application/x-protobuf or application/json",
        HttpFormats.plainText(),
        limits.maxBodyBytes(),
        limits.budget(),
        limits.retryAfter(),
        new ReceiverMetrics(meterRegistry, ReceiverMetrics.OTLP_HTTP, limits.budget()));
  }

  /** Adds {@code POST /v1/traces} to the server. */
  public void configure(ServerBuilder sb) {
    sb.route()
        .post(PATH)
        .maxRequestLength(limits.maxBodyBytes())
        .errorHandler(service.errorHandler())
        .build(service);
  }
}
