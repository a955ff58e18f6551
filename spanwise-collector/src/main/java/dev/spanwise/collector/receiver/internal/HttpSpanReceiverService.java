package dev.spanwise.collector.receiver.internal;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServiceErrorHandler;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.spanwise.collector.OverloadedException;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.storage.Tenants;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request handling shared by the HTTP receivers (OTLP/HTTP, Zipkin): content type and coding
 * checks, the in-flight budget, bounded aggregation and gzip inflation, decoding off the event loop,
 * the pipeline write, and answering only once the pipeline has made the spans durable.
 *
 * <p>Order of checks: 415 (content type or coding), 413 (declared Content-Length above the limit),
 * 503 + Retry-After (budget), then the body is read: 413 (above the limit, after decompression),
 * 400 (bad data), 503 + Retry-After (pipeline overloaded), success.
 */
public final class HttpSpanReceiverService implements HttpService {
  private static final Logger logger = LoggerFactory.getLogger(HttpSpanReceiverService.class);

  private final SpanPipeline pipeline;
  private final Function<MediaType, HttpFormat> formats;
  private final String supportedTypes;
  private final HttpFormat plainFormat;
  private final int maxBodyBytes;
  private final InFlightBudget budget;
  private final Duration retryAfter;
  private final ReceiverMetrics metrics;

  /**
   * @param formats the format for a request's content type (which may be {@code null} when the
   *     header is absent), or {@code null} when that type is not accepted
   * @param supportedTypes the accepted types, for the 415 message
   * @param plainFormat answers errors when the request's format is unknown (415)
   */
  public HttpSpanReceiverService(
      SpanPipeline pipeline,
      Function<MediaType, HttpFormat> formats,
      String supportedTypes,
      HttpFormat plainFormat,
      int maxBodyBytes,
      InFlightBudget budget,
      Duration retryAfter,
      ReceiverMetrics metrics) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.formats = Objects.requireNonNull(formats, "formats");
    this.supportedTypes = Objects.requireNonNull(supportedTypes, "supportedTypes");
    this.plainFormat = Objects.requireNonNull(plainFormat, "plainFormat");
    this.maxBodyBytes = maxBodyBytes;
    this.budget = Objects.requireNonNull(budget, "budget");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    ctx.log().whenComplete().thenAccept(log -> {
      if (log.isAvailable(com.linecorp.armeria.common.logging.RequestLogProperty.RESPONSE_HEADERS)) {
        int code = log.responseHeaders().status().code();
        metrics.request(String.valueOf(code), reasonOf(code));
      }
    });
    RequestHeaders headers = req.headers();
    MediaType contentType = headers.contentType();
    HttpFormat format = formats.apply(contentType);
    if (format == null) {
      return refuse(plainFormat, new RefusedException(
          RefusedException.Kind.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type " + (contentType == null ? "(absent)" : contentType.toString())
              + " is not supported; use " + supportedTypes));
    }
    String coding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
    boolean gzip;
    if (coding == null || coding.isBlank() || coding.trim().equalsIgnoreCase("identity")) {
      gzip = false;
    } else if (coding.trim().equalsIgnoreCase("gzip") || coding.trim().equalsIgnoreCase("x-gzip")) {
      gzip = true;
    } else {
      return refuse(format, new RefusedException(
          RefusedException.Kind.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding " + coding + " is not supported; use gzip or identity"));
    }
    long contentLength = headers.contentLength();
    if (contentLength > maxBodyBytes) {
      return refuse(format, tooLarge());
    }
    OverloadedException overloaded = pipeline.refusal();
    if (overloaded != null) {
      // refused before the body is read: under overload a request costs next to nothing
      return refuse(format, overloadedRefusal(overloaded));
    }
    // an unknown length reserves the largest body; once read, the reservation becomes the heap
    // the request will hold (InFlightBudget.heldFor)
    Reservation reservation =
        budget.tryReserve(contentLength >= 0 ? budget.heldFor(contentLength) : maxBodyBytes);
    if (reservation == null) {
      return refuse(format, new RefusedException(
          RefusedException.Kind.OVERLOADED,
          "collector is over its in-flight request budget; retry later",
          retryAfter));
    }
    ctx.log().whenComplete().thenRun(reservation::close);

    CompletableFuture<HttpResponse> response = req.aggregate()
        .thenApplyAsync(
            aggregated -> decode(aggregated, gzip, format, reservation),
            ctx.blockingTaskExecutor())
        .thenCompose(batch -> write(batch, format))
        .exceptionally(error -> toResponse(error, format));
    return HttpResponse.of(response);
  }

  /**
   * Answers Armeria's own refusal of a body above the route's {@code maxRequestLength} (a body
   * without Content-Length that grows too large) with this receiver's 413, in the request's
   * format; other errors are left to Armeria.
   */
  public ServiceErrorHandler errorHandler() {
    return (ctx, cause) -> {
      if (!isContentTooLarge(cause)) return null;
      HttpFormat format = formats.apply(ctx.request().headers().contentType());
      return refuse(format == null ? plainFormat : format, tooLarge());
    };
  }

  static boolean isContentTooLarge(Throwable cause) {
    return cause instanceof ContentTooLargeException
        || cause.getCause() instanceof ContentTooLargeException
        || (cause instanceof HttpStatusException
            && ((HttpStatusException) cause).httpStatus() == HttpStatus.REQUEST_ENTITY_TOO_LARGE);
  }

  private DecodedBatch decode(
      AggregatedHttpRequest aggregated, boolean gzip, HttpFormat format, Reservation reservation) {
    byte[] wire = aggregated.content().array();
    byte[] body = wire;
    if (gzip) {
      reservation.resize(wire.length); // the inflation grows it from here
      body = BoundedGunzip.gunzip(wire, maxBodyBytes, reservation, retryAfter);
    }
    if (body.length > maxBodyBytes) throw tooLarge();
    if (!reservation.resize(budget.heldFor(body.length + (gzip ? wire.length : 0)))) {
      throw new RefusedException(RefusedException.Kind.OVERLOADED,
          "collector is over its in-flight memory budget; retry later", retryAfter);
    }
    metrics.requestBytes(body.length);
    DecodedBatch batch;
    try {
      batch = format.decode(body);
    } catch (RefusedException e) {
      throw e;
    } catch (RuntimeException e) {
      logger.debug("Invalid request body", e);
      throw new RefusedException(RefusedException.Kind.INVALID, messageOf(e));
    }
    if (batch.otlpTracesData() != null) {
      // scanned, not decoded: it holds its bytes only (shrinking always succeeds)
      reservation.resize(budget.heldPassingThrough(body.length) + (gzip ? wire.length : 0));
    }
    metrics.received(batch.spanCount() + batch.rejectedSpans());
    metrics.refused(RefusedException.Kind.INVALID.reason(), batch.rejectedSpans());
    return batch;
  }

  private CompletableFuture<HttpResponse> write(DecodedBatch batch, HttpFormat format) {
    if (batch.spanCount() == 0) {
      return CompletableFuture.completedFuture(format.success(batch).toHttpResponse());
    }
    CompletableFuture<Void> written;
    try {
      written = batch.writeTo(pipeline, Tenants.DEFAULT);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    int count = batch.spanCount();
    return written.handle((ignored, error) -> {
      if (error == null) {
        metrics.accepted(count);
        return format.success(batch).toHttpResponse();
      }
      Throwable cause = unwrap(error);
      if (cause instanceof OverloadedException) {
        metrics.refused(RefusedException.Kind.OVERLOADED.reason(), count);
        return refuse(format, overloadedRefusal((OverloadedException) cause));
      }
      metrics.refused("pipeline_error", count);
      logger.warn("Span pipeline failed to write {} spans", count, cause);
      return format.error(HttpStatus.INTERNAL_SERVER_ERROR, "failed to store spans")
          .toHttpResponse();
    });
  }

  static RefusedException overloadedRefusal(OverloadedException overloaded) {
    return new RefusedException(RefusedException.Kind.OVERLOADED,
        "collector is overloaded (" + overloaded.reason() + "); retry later",
        overloaded.retryAfter());
  }

  private HttpResponse toResponse(Throwable error, HttpFormat format) {
    Throwable cause = unwrap(error);
    if (cause instanceof RefusedException) return refuse(format, (RefusedException) cause);
    if (cause instanceof ContentTooLargeException) return refuse(format, tooLarge());
    logger.warn("Unexpected failure receiving spans", cause);
    return format.error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error").toHttpResponse();
  }

  private RefusedException tooLarge() {
    return new RefusedException(
        RefusedException.Kind.TOO_LARGE,
        "request body exceeds the limit of " + maxBodyBytes + " bytes (after decompression)");
  }

  /** The answer for a refusal: status by kind, Retry-After when overloaded. */
  static HttpResponse refuse(HttpFormat format, RefusedException refused) {
    switch (refused.kind()) {
      case INVALID:
        return format.error(HttpStatus.BAD_REQUEST, refused.getMessage()).toHttpResponse();
      case TOO_LARGE:
        return format.error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, refused.getMessage())
            .toHttpResponse();
      case UNSUPPORTED_MEDIA_TYPE:
        return format.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, refused.getMessage())
            .toHttpResponse();
      case OVERLOADED:
      default:
        AggregatedHttpResponse res =
            format.error(HttpStatus.SERVICE_UNAVAILABLE, refused.getMessage());
        ResponseHeaders headers = res.headers().toBuilder()
            .set(HttpHeaderNames.RETRY_AFTER, String.valueOf(refused.retryAfterSeconds()))
            .build();
        return AggregatedHttpResponse.of(headers, res.content()).toHttpResponse();
    }
  }

  static String reasonOf(int status) {
    if (status >= 200 && status < 300) return "ok";
    switch (status) {
      case 400: return "invalid";
      case 405: return "method_not_allowed";
      case 413: return "too_large";
      case 415: return "unsupported_media_type";
      case 429:
      case 503: return "overloaded";
      default: return status >= 500 ? "error" : "other";
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String messageOf(RuntimeException e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? "malformed request body (" + e.getClass().getSimpleName() + ")"
        : message;
  }
}
