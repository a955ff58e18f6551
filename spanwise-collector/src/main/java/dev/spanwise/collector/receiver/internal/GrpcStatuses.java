package dev.spanwise.collector.receiver.internal;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/** gRPC statuses for refused OTLP/gRPC exports, with {@code RetryInfo} when overloaded. */
public final class GrpcStatuses {
  private GrpcStatuses() {}

  /**
   * {@code INVALID_ARGUMENT} for bad data (also for an unsupported encoding), {@code
   * RESOURCE_EXHAUSTED} above the size limit (no RetryInfo: retrying the same export cannot help),
   * {@code UNAVAILABLE} with a {@code google.rpc.RetryInfo} detail when overloaded.
   */
  public static com.google.rpc.Status toStatus(RefusedException refused) {
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setMessage(refused.getMessage());
    switch (refused.kind()) {
      case TOO_LARGE:
        status.setCode(Code.RESOURCE_EXHAUSTED_VALUE);
        break;
      case OVERLOADED:
        status.setCode(Code.UNAVAILABLE_VALUE);
        status.addDetails(Any.pack(retryInfo(refused.retryAfter())));
        break;
      case INVALID:
      case UNSUPPORTED_MEDIA_TYPE:
      default:
        status.setCode(Code.INVALID_ARGUMENT_VALUE);
        break;
    }
    return status.build();
  }

  public static StatusRuntimeException toException(RefusedException refused) {
    return StatusProto.toStatusRuntimeException(toStatus(refused));
  }

  public static StatusRuntimeException internal(String message) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.INTERNAL_VALUE)
        .setMessage(message)
        .build());
  }

  static RetryInfo retryInfo(Duration retryAfter) {
    Duration delay = retryAfter == null ? Duration.ofSeconds(1) : retryAfter;
    return RetryInfo.newBuilder()
        .setRetryDelay(com.google.protobuf.Duration.newBuilder()
            .setSeconds(delay.getSeconds())
            .setNanos(delay.getNano()))
        .build();
  }

  /** grpc-message is percent-encoded: printable ASCII except '%' as is, the rest as %XX. */
  static String percentEncode(String message) {
    byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
