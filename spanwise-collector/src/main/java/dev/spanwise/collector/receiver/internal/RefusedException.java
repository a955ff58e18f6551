package dev.spanwise.collector.receiver.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * A request this receiver will not take, and why: mapped to an HTTP status or a gRPC status code
 * by the receiver that caught it. The message is sent to the client, so it names the problem
 * (the field, the limit, the content type) and never leaks internals.
 */
public final class RefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, which decides the status code. */
  public enum Kind {
    /** Malformed or invalid data: HTTP 400, gRPC {@code INVALID_ARGUMENT}. */
    INVALID("invalid"),
    /** Body above the limit after decompression: HTTP 413, gRPC {@code RESOURCE_EXHAUSTED}. */
    TOO_LARGE("too_large"),
    /** Content type or content coding not supported: HTTP 415. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    /** Budget or pipeline full, retry later: HTTP 503 + Retry-After, gRPC {@code UNAVAILABLE}. */
    OVERLOADED("overloaded");

    private final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    /** The {@code reason} tag of the refusal counters. */
    public String reason() {
      return reason;
    }
  }

  private final Kind kind;
  private final transient Duration retryAfter;

  public RefusedException(Kind kind, String message) {
    this(kind, message, null);
  }

  public RefusedException(Kind kind, String message, Duration retryAfter) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
    if (kind == Kind.OVERLOADED && retryAfter == null) {
      throw new IllegalArgumentException("retryAfter is required when overloaded");
    }
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** When the client may retry; {@code null} unless {@link Kind#OVERLOADED}. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Whole seconds for a {@code Retry-After} header: at least 1, rounded up. */
  public long retryAfterSeconds() {
    return retryAfterSeconds(retryAfter);
  }

  public static long retryAfterSeconds(Duration retryAfter) {
    if (retryAfter == null) return 1;
    long millis = Math.max(0, retryAfter.toMillis());
    return Math.max(1, (millis + 999) / 1000);
  }
}
