package dev.spanwise.collector.receiver;

import dev.spanwise.collector.receiver.internal.InFlightBudget;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits shared by all receivers of a process: the largest request body (counted after
 * decompression) and the heap that requests in flight may hold at once across all receivers.
 *
 * <p>Build one instance per process and pass the same instance to every receiver: it also holds
 * the shared in-flight budget, so receivers given different instances do not share a budget. The
 * budget counts the heap requests hold, six times their bodies (their decoded spans; see {@code
 * InFlightBudget.HELD_PER_BODY_BYTE}). A request reserves that for its Content-Length (or {@link
 * #maxBodyBytes()} when unknown) on arrival, grows the reservation while a gzip body inflates,
 * sets it to six times the body once read, and releases it once answered; over budget it is
 * refused at once with 503 + {@code Retry-After} (gRPC {@code UNAVAILABLE} with {@code RetryInfo})
 * before its body is read.
 */
public final class ReceiverLimits {
  public static final int DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
  public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  /** Bodies are held in one array, so no more than this. */
  static final int MAX_BODY_BYTES_CEILING = Integer.MAX_VALUE - 16;

  private final int maxBodyBytes;
  private final long maxInFlightBytes;
  private final Duration retryAfter;
  private final InFlightBudget budget;

  private ReceiverLimits(Builder b) {
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxInFlightBytes = b.maxInFlightBytes;
    this.retryAfter = b.retryAfter;
    this.budget = new InFlightBudget(b.maxInFlightBytes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: 20 MiB body, 256 MiB in flight, retry after 1 s. */
  public static ReceiverLimits defaults() {
    return builder().build();
  }

  /** The largest request body accepted, after decompression; larger is refused with 413. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** Request bytes that may be received, decoded or awaiting acknowledgement at once. */
  public long maxInFlightBytes() {
    return maxInFlightBytes;
  }

  /** What a client is told to wait when the in-flight budget is spent. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Bytes reserved in the shared in-flight budget now. */
  public long inFlightBytes() {
    return budget.used();
  }

  InFlightBudget budget() {
    return budget;
  }

  @Override
  public String toString() {
    return "ReceiverLimits{maxBodyBytes=" + maxBodyBytes + ", maxInFlightBytes=" + maxInFlightBytes
        + ", retryAfter=" + retryAfter + "}";
  }

  /** Builds {@link ReceiverLimits}; setters throw naming the field on a bad value. */
  public static final class Builder {
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
    private Duration retryAfter = DEFAULT_RETRY_AFTER;

    Builder() {}

    /** Largest request body after decompression, 1 byte to 2 GiB. Default 20 MiB. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes <= 0 || maxBodyBytes > MAX_BODY_BYTES_CEILING) {
        throw new IllegalArgumentException(
            "maxBodyBytes must be between 1 and " + MAX_BODY_BYTES_CEILING + ": " + maxBodyBytes);
      }
      this.maxBodyBytes = (int) maxBodyBytes;
      return this;
    }

    /** Request bytes in flight across all receivers; at least maxBodyBytes. Default 256 MiB. */
    public Builder maxInFlightBytes(long maxInFlightBytes) {
      if (maxInFlightBytes <= 0) {
        throw new IllegalArgumentException("maxInFlightBytes must be > 0: " + maxInFlightBytes);
      }
      this.maxInFlightBytes = maxInFlightBytes;
      return this;
    }

    /** Retry-After given when the in-flight budget is spent, at least 1 s. Default 1 s. */
    public Builder retryAfter(Duration retryAfter) {
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("retryAfter must be at least 1s: " + retryAfter);
      }
      this.retryAfter = retryAfter;
      return this;
    }

    /** @throws IllegalArgumentException when maxInFlightBytes is below maxBodyBytes */
    public ReceiverLimits build() {
      if (maxInFlightBytes < maxBodyBytes) {
        throw new IllegalArgumentException("maxInFlightBytes (" + maxInFlightBytes
            + ") must be at least maxBodyBytes (" + maxBodyBytes + ")");
      }
      return new ReceiverLimits(this);
    }
  }
}
