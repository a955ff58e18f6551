package dev.spanwise.benchmarks.load;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * Sends pre-encoded request bodies to one server and classifies the answers. OTLP/gRPC is spoken
 * directly over HTTP/2 (length-prefixed message, {@code grpc-status} trailer), so the client does
 * no protobuf work per request beyond reading the small response.
 */
final class IngestSender implements AutoCloseable {
  static final long DEFAULT_BACKOFF_MILLIS = 100;

  enum Outcome { ACCEPTED, REFUSED, ERROR }

  /**
   * How the server answered one request.
   *
   * @param acceptedSpans spans acknowledged (sent minus partial-success rejections)
   * @param rejectedSpans spans the server said it rejected in a partial success
   * @param retryAfterMillis the server's Retry-After for refusals, else a default back-off
   */
  record Result(Outcome outcome, long acceptedSpans, long rejectedSpans, long retryAfterMillis,
      String detail) {}

  private final Protocol protocol;
  private final ClientFactory factory;
  private final WebClient client;

  IngestSender(Protocol protocol, HostAndPort target, boolean http2, Duration timeout) {
    this.protocol = protocol;
    this.factory = ClientFactory.builder()
        .idleTimeout(Duration.ofMinutes(5))
        .build();
    String scheme = protocol == Protocol.OTLP_GRPC || http2 ? "h2c" : "h1c";
    this.client = WebClient.builder(scheme + "://" + target)
        .factory(factory)
        .responseTimeout(timeout)
        .writeTimeout(timeout)
        .maxResponseLength(16 * 1024 * 1024)
        .build();
  }

  CompletableFuture<Result> send(byte[] body, int spans) {
    RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, protocol.path)
        .contentType(MediaType.parse(protocol.contentType));
    if (protocol == Protocol.OTLP_GRPC) headers.add("te", "trailers");
    return client.execute(HttpRequest.of(headers.build(), HttpData.wrap(body)))
        .aggregate()
        .handle((response, failure) -> {
          if (failure != null) {
            return new Result(Outcome.ERROR, 0, 0, DEFAULT_BACKOFF_MILLIS, describe(failure));
          }
          return protocol == Protocol.OTLP_GRPC ? grpcResult(response, spans)
              : httpResult(response, spans);
        });
  }

  private Result httpResult(AggregatedHttpResponse response, int spans) {
    int status = response.status().code();
    if (status >= 200 && status < 300) {
      long rejected = 0;
      MediaType type = response.contentType();
      // Only a protobuf body can carry a partial success; other bodies (text, none) are ignored.
      if (protocol == Protocol.OTLP_HTTP && !response.content().isEmpty()
          && type != null && type.isProtobuf()) {
        rejected = rejectedSpans(response.content().array(), 0);
        if (rejected < 0) {
          return new Result(Outcome.ERROR, 0, 0, 0, "HTTP " + status
              + " with a body that is not an ExportTraceServiceResponse");
        }
      }
      return new Result(Outcome.ACCEPTED, spans - rejected, rejected, 0, null);
    }
    if (status == 503 || status == 429) {
      return new Result(Outcome.REFUSED, 0, 0, retryAfterMillis(response.headers()),
          "HTTP " + status);
    }
    return new Result(Outcome.ERROR, 0, 0, DEFAULT_BACKOFF_MILLIS,
        "HTTP " + status + ": " + snippet(response.contentUtf8()));
  }

  private Result grpcResult(AggregatedHttpResponse response, int spans) {
    int httpStatus = response.status().code();
    String grpcStatus = response.trailers().get("grpc-status");
    if (grpcStatus == null) grpcStatus = response.headers().get("grpc-status");
    if (httpStatus != 200 || grpcStatus == null) {
      if (httpStatus == 503 || httpStatus == 429) {
        return new Result(Outcome.REFUSED, 0, 0, retryAfterMillis(response.headers()),
            "HTTP " + httpStatus);
      }
      return new Result(Outcome.ERROR, 0, 0, DEFAULT_BACKOFF_MILLIS,
          "HTTP " + httpStatus + " grpc-status " + grpcStatus);
    }
    String message = response.trailers().get("grpc-message");
    if (message == null) message = response.headers().get("grpc-message");
    switch (grpcStatus) {
      case "0": {
        byte[] body = response.content().array();
        long rejected = body.length == 0 ? 0 : rejectedSpans(body, Protocol.GRPC_FRAME_HEADER);
        if (rejected < 0) {
          return new Result(Outcome.ERROR, 0, 0, 0, "gRPC OK with an unreadable response message");
        }
        return new Result(Outcome.ACCEPTED, spans - rejected, rejected, 0, null);
      }
      case "8": // RESOURCE_EXHAUSTED
      case "14": { // UNAVAILABLE
        // the server's RetryInfo, as OTLP asks a client to honour it (as Retry-After over HTTP)
        String details = response.trailers().get("grpc-status-details-bin");
        if (details == null) details = response.headers().get("grpc-status-details-bin");
        long delay = retryDelayMillis(details);
        return new Result(Outcome.REFUSED, 0, 0, delay >= 0 ? delay : DEFAULT_BACKOFF_MILLIS * 5,
            "grpc-status " + grpcStatus);
      }
      default:
        return new Result(Outcome.ERROR, 0, 0, DEFAULT_BACKOFF_MILLIS,
            "grpc-status " + grpcStatus + (message == null ? "" : ": " + snippet(message)));
    }
  }

  /** The partial-success rejected span count, or -1 if the body does not parse. */
  static long rejectedSpans(byte[] body, int offset) {
    try {
      return ExportTraceServiceResponse.parseFrom(Arrays.copyOfRange(body, offset, body.length))
          .getPartialSuccess().getRejectedSpans();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * The retry delay of the {@code google.rpc.RetryInfo} in a {@code grpc-status-details-bin}
   * trailer (base64 of a {@code google.rpc.Status}), in milliseconds; -1 when there is none.
   */
  static long retryDelayMillis(String statusDetailsBin) {
    if (statusDetailsBin == null) return -1;
    try {
      Status status = Status.parseFrom(Base64.getDecoder().decode(statusDetailsBin.trim()));
      for (Any detail : status.getDetailsList()) {
        if (detail.is(RetryInfo.class)) {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          return Math.max(0, delay.getSeconds() * 1000 + delay.getNanos() / 1_000_000);
        }
      }
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      // not base64 or not a Status: no delay from the server
    }
    return -1;
  }

  static long retryAfterMillis(HttpHeaders headers) {
    String value = headers.get("retry-after");
    if (value != null) {
      try {
        return Math.max(0, Long.parseLong(value.trim())) * 1000;
      } catch (NumberFormatException ignored) {
        // An HTTP date: fall back to the default.
      }
    }
    return DEFAULT_BACKOFF_MILLIS * 5;
  }

  private static String describe(Throwable t) {
    while (t.getCause() != null && t.getMessage() == null) t = t.getCause();
    Throwable cause = t.getCause() != null ? t.getCause() : t;
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  private static String snippet(String s) {
    s = s.replace('\n', ' ').trim();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  @Override
  public void close() {
    factory.close();
  }
}
