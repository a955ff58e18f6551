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
 * Zipkin v2 span receiver: {@code POST /api/v2/spans} (port {@value #DEFAULT_PORT}, shared with
 * Zipkin's read API under {@code GET /api/v2/...}).
 *
 * <p>Takes {@code application/json} (also with no Content-Type, as Zipkin does) and {@code
 * application/x-protobuf} (proto3 {@code ListOfSpans}), with {@code Content-Encoding: gzip} or
 * none. Answers 202 with no body once the pipeline has made the spans durable; 400 in plain text
 * naming the problem; 413 above {@link ReceiverLimits#maxBodyBytes()} after decompression; 415 for
 * another content type or coding; 503 with {@code Retry-After} when overloaded.
 */
public final class ZipkinReceiver {
  public static final int DEFAULT_PORT = 9411;
  public static final String PATH = "/api/v2/spans";

  private final ReceiverLimits limits;
  private final HttpSpanReceiverService service;

  public ZipkinReceiver(SpanPipeline pipeline, ReceiverLimits limits, MeterRegistry meterRegistry) {
    this(pipeline, limits, meterRegistry, CodecDecoders.zipkinJson(), CodecDecoders.zipkinProto3());
  }

  ZipkinReceiver(
      SpanPipeline pipeline,
      ReceiverLimits limits,
      MeterRegistry meterRegistry,
      SpanBatchDecoder jsonDecoder,
      SpanBatchDecoder proto3Decoder) {
    Objects.requireNonNull(pipeline, "pipeline");
    this.limits = Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    HttpFormat json = HttpFormats.zipkin(jsonDecoder);
    HttpFormat proto3 = HttpFormats.zipkin(proto3Decoder);
    this.service = new HttpSpanReceiverService(
        pipeline,
        type -> {
          if (type == null) return json; // Zipkin reads a body without Content-Type as JSON
          if (!type.type().equals("application")) return null;
          switch (type.subtype()) {
            case "json": return json;
            case "x-protobuf": return proto3;
            default: return null;
          }
        },
        "application/json or application/x-protobuf",
        HttpFormats.plainText(),
        limits.maxBodyBytes(),
        limits.budget(),
        limits.retryAfter(),
        new ReceiverMetrics(meterRegistry, ReceiverMetrics.ZIPKIN, limits.budget()));
  }

  /** Adds {@code POST /api/v2/spans} to the server. */
  public void configure(ServerBuilder sb) {
    sb.route()
        .post(PATH)
        .maxRequestLength(limits.maxBodyBytes())
        .errorHandler(service.errorHandler())
        .build(service);
  }
}
