package dev.spanwise.collector;

import java.time.Duration;
import java.util.Objects;

/**
 * The pipeline or a receiver's budget cannot take this request now; the client should retry after
 * {@link #retryAfter()}. Never means the data was bad.
 */
public final class OverloadedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why, for the refusal counter in /metrics: {@code queue_full}, {@code memory}, {@code disk_full}. */
  private final String reason;
  private final transient Duration retryAfter;

  public OverloadedException(String reason, Duration retryAfter, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  public String reason() {
    return reason;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
