package dev.spanwise.collector.receiver.internal;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceErrorHandler;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.spanwise.collector.OverloadedException;
import dev.spanwise.codec.jaeger.proto.Collector.PostSpansResponse;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.storage.Tenants;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.util.AttributeKey;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unary gRPC method that receives spans, on Armeria's {@link GrpcService}: OTLP's {@code
 * opentelemetry.proto.collector.trace.v1.TraceService/Export} ({@link #otlp}) and Jaeger's {@code
 * jaeger.api_v2.CollectorService/PostSpans} ({@link #jaeger}). The request is taken as raw bytes
 * (Armeria inflates {@code grpc-encoding: gzip} and stops at the message limit) and decoded by the
 * codec; the answer is sent only once the pipeline has made the spans durable.
 *
 * @param <R> the response message
 */
public final class GrpcSpanReceiverService<R extends Message> {
  private static final Logger logger = LoggerFactory.getLogger(GrpcSpanReceiverService.class);

  public static final String OTLP_SERVICE_NAME =
      "opentelemetry.proto.collector.trace.v1.TraceService";
  public static final String OTLP_EXPORT_PATH = "/" + OTLP_SERVICE_NAME + "/Export";
  public static final String JAEGER_SERVICE_NAME = "jaeger.api_v2.CollectorService";
  public static final String JAEGER_POST_SPANS_PATH = "/" + JAEGER_SERVICE_NAME + "/PostSpans";
  /** gRPC's length-prefixed message framing: 1 byte compressed flag, 4 bytes length. */
  private static final int FRAME_HEADER_BYTES = 5;

  private static final AttributeKey<Reservation> RESERVATION =
      AttributeKey.valueOf(GrpcSpanReceiverService.class, "RESERVATION");

  private final String serviceName;
  private final String methodName;
  private final R defaultResponse;
  private final Function<DecodedBatch, R> response;
  private final SpanPipeline pipeline;
  private final SpanBatchDecoder decoder;
  private final int maxBodyBytes;
  private final InFlightBudget budget;
  private final Duration retryAfter;
  private final ReceiverMetrics metrics;

  /** OTLP's {@code Export}: answers an {@code ExportTraceServiceResponse} with partial success. */
  public static GrpcSpanReceiverService<ExportTraceServiceResponse> otlp(
      SpanPipeline pipeline,
      SpanBatchDecoder decoder,
      int maxBodyBytes,
      InFlightBudget budget,
      Duration retryAfter,
      ReceiverMetrics metrics) {
    return new GrpcSpanReceiverService<>(OTLP_SERVICE_NAME, "Export",
        ExportTraceServiceResponse.getDefaultInstance(), OtlpResponses::exportResponse,
        pipeline, decoder, maxBodyBytes, budget, retryAfter, metrics);
  }

  /**
   * Jaeger's {@code PostSpans}: answers an empty {@code PostSpansResponse} (Jaeger has no partial
   * success; rejected spans are counted in the metrics).
   */
  public static GrpcSpanReceiverService<PostSpansResponse> jaeger(
      SpanPipeline pipeline,
      SpanBatchDecoder decoder,
      int maxBodyBytes,
      InFlightBudget budget,
      Duration retryAfter,
      ReceiverMetrics metrics) {
    PostSpansResponse empty = PostSpansResponse.getDefaultInstance();
    return new GrpcSpanReceiverService<>(JAEGER_SERVICE_NAME, "PostSpans", empty,
        batch -> empty, pipeline, decoder, maxBodyBytes, budget, retryAfter, metrics);
  }

  GrpcSpanReceiverService(
      String serviceName,
      String methodName,
      R defaultResponse,
      Function<DecodedBatch, R> response,
      SpanPipeline pipeline,
      SpanBatchDecoder decoder,
      int maxBodyBytes,
      InFlightBudget budget,
      Duration retryAfter,
      ReceiverMetrics metrics) {
    this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    this.methodName = Objects.requireNonNull(methodName, "methodName");
    this.defaultResponse = Objects.requireNonNull(defaultResponse, "defaultResponse");
    this.response = Objects.requireNonNull(response, "response");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.maxBodyBytes = maxBodyBytes;
    this.budget = Objects.requireNonNull(budget, "budget");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** The HTTP request length Armeria should allow: one framed message of the body limit. */
  public long maxRequestLength() {
    return (long) maxBodyBytes + FRAME_HEADER_BYTES;
  }

  /** The gRPC service, decorated with the in-flight budget check and request metrics. */
  public HttpService httpService() {
    MethodDescriptor<byte[], R> method =
        MethodDescriptor.<byte[], R>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, methodName))
            .setRequestMarshaller(new RawBytesMarshaller())
            .setResponseMarshaller(ProtoUtils.marshaller(defaultResponse))
            .build();
    ServerServiceDefinition definition = ServerServiceDefinition.builder(serviceName)
        .addMethod(method, ServerCalls.asyncUnaryCall(this::receive))
        .build();
    GrpcService grpc = GrpcService.builder()
        .addService(definition)
        .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
        .maxRequestMessageLength(maxBodyBytes)
        .useBlockingTaskExecutor(true)
        .build();
    return grpc.decorate(this::admit);
  }

  /**
   * Renders Armeria's refusal of a request above {@link #maxRequestLength()} (an HTTP 413, which a
   * gRPC client would see as {@code UNKNOWN}) as {@code RESOURCE_EXHAUSTED}; other errors are left
   * to Armeria.
   */
  public ServiceErrorHandler errorHandler() {
    return (ctx, cause) -> {
      if (!HttpSpanReceiverService.isContentTooLarge(cause)) return null;
      return trailersOnly(new RefusedException(
          RefusedException.Kind.TOO_LARGE,
          "request exceeds the limit of " + maxBodyBytes + " bytes"));
    };
  }

  /** Reserves the request's size in the budget before anything is read, or refuses it at once. */
  private HttpResponse admit(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    ctx.log().whenComplete().thenAccept(this::countRequest);
    OverloadedException overloaded = pipeline.refusal();
    if (overloaded != null) {
      // refused before the message is read: under overload a request costs next to nothing
      return trailersOnly(HttpSpanReceiverService.overloadedRefusal(overloaded));
    }
    long contentLength = req.headers().contentLength();
    long wanted = contentLength >= 0
        ? budget.heldFor(Math.min(contentLength, maxRequestLength())) : maxBodyBytes;
    Reservation reservation = budget.tryReserve(wanted);
    if (reservation == null) {
      return trailersOnly(new RefusedException(
          RefusedException.Kind.OVERLOADED,
          "collector is over its in-flight request budget; retry later",
          retryAfter));
    }
    ctx.setAttr(RESERVATION, reservation);
    ctx.log().whenComplete().thenRun(reservation::close);
    return delegate.serve(ctx, req);
  }

  /** The HTTP/2 path of the method ({@code /service/method}). */
  public String path() {
    return "/" + serviceName + "/" + methodName;
  }

  private void receive(byte[] body, StreamObserver<R> observer) {
    DecodedBatch batch;
    try {
      Reservation reservation = ServiceRequestContext.current().attr(RESERVATION);
      if (reservation != null && !reservation.resize(budget.heldFor(body.length))) {
        throw new RefusedException(
            RefusedException.Kind.OVERLOADED,
            "collector is over its in-flight request budget; retry later",
            retryAfter);
      }
      metrics.requestBytes(body.length);
      try {
        batch = decoder.decode(body);
        if (reservation != null && batch.otlpTracesData() != null) {
          // scanned, not decoded: it holds its bytes only (shrinking always succeeds)
          reservation.resize(budget.heldPassingThrough(body.length));
        }
      } catch (RefusedException e) {
        throw e;
      } catch (RuntimeException e) {
        logger.debug("Invalid {}/{} request", serviceName, methodName, e);
        String message = e.getMessage();
        throw new RefusedException(RefusedException.Kind.INVALID,
            message == null || message.isBlank() ? "malformed " + methodName + " request" : message);
      }
    } catch (RefusedException e) {
      observer.onError(GrpcStatuses.toException(e));
      return;
    }
    metrics.received(batch.spanCount() + batch.rejectedSpans());
    metrics.refused(RefusedException.Kind.INVALID.reason(), batch.rejectedSpans());
    if (batch.spanCount() == 0) {
      respond(observer, response.apply(batch));
      return;
    }
    CompletableFuture<Void> written;
    try {
      written = batch.writeTo(pipeline, Tenants.DEFAULT);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    int count = batch.spanCount();
    written.whenComplete((ignored, error) -> {
      if (error == null) {
        metrics.accepted(count);
        respond(observer, response.apply(batch));
        return;
      }
      Throwable cause = HttpSpanReceiverService.unwrap(error);
      if (cause instanceof OverloadedException) {
        OverloadedException overloaded = (OverloadedException) cause;
        metrics.refused(RefusedException.Kind.OVERLOADED.reason(), count);
        observer.onError(GrpcStatuses.toException(new RefusedException(
            RefusedException.Kind.OVERLOADED,
            "collector is overloaded (" + overloaded.reason() + "); retry later",
            overloaded.retryAfter())));
        return;
      }
      metrics.refused("pipeline_error", count);
      logger.warn("Span pipeline failed to write {} spans", count, cause);
      observer.onError(GrpcStatuses.internal("failed to store spans"));
    });
  }

  private static <T> void respond(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }

  /** A gRPC trailers-only answer, for refusing before the gRPC service is reached. */
  static HttpResponse trailersOnly(RefusedException refused) {
    com.google.rpc.Status status = GrpcStatuses.toStatus(refused);
    ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
        .contentType(GrpcSerializationFormats.PROTO.mediaType())
        .add("grpc-status", String.valueOf(status.getCode()))
        .add("grpc-message", GrpcStatuses.percentEncode(status.getMessage()))
        .add("grpc-status-details-bin",
            Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray()))
        .build();
    return HttpResponse.of(headers);
  }

  private void countRequest(RequestLog log) {
    String status = null;
    if (log.isAvailable(RequestLogProperty.RESPONSE_TRAILERS)) {
      status = log.responseTrailers().get("grpc-status");
    }
    if (status == null && log.isAvailable(RequestLogProperty.RESPONSE_HEADERS)) {
      status = log.responseHeaders().get("grpc-status");
      if (status == null && log.responseHeaders().status().code() != 200) {
        // refused by Armeria at the HTTP level, e.g. 413 for a body above maxRequestLength
        int code = log.responseHeaders().status().code();
        metrics.request(String.valueOf(code), HttpSpanReceiverService.reasonOf(code));
        return;
      }
    }
    io.grpc.Status.Code code = status == null
        ? io.grpc.Status.Code.UNKNOWN
        : io.grpc.Status.fromCodeValue(parse(status)).getCode();
    metrics.request(code.name(), reasonOf(code));
  }

  private static int parse(String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return io.grpc.Status.Code.UNKNOWN.value();
    }
  }

  static String reasonOf(io.grpc.Status.Code code) {
    switch (code) {
      case OK: return "ok";
      case INVALID_ARGUMENT: return "invalid";
      case RESOURCE_EXHAUSTED: return "too_large";
      case UNAVAILABLE: return "overloaded";
      case CANCELLED: return "cancelled";
      case DEADLINE_EXCEEDED: return "deadline_exceeded";
      default: return "error";
    }
  }

  /** Reads the (already size-limited, possibly inflating) message stream into an array. */
  private static final class RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
