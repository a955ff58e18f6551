package dev.spanwise.storage;

import dev.spanwise.model.SpanKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A structured trace search: a trace matches when at least one of its spans satisfies every
 * condition given (the shape of a TraceQL spanset filter {@code { service = "a" && name = "b" &&
 * attr = "v" && duration > 10ms }}, so one can be pushed down into it). Absent conditions match
 * anything; the time range is always present.
 */
public final class TraceQuery {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 10_000;

  private final String tenant;
  private final String serviceName;
  private final String spanName;
  private final SpanKind spanKind;
  private final List<AttributeFilter> attributeFilters;
  private final boolean errorOnly;
  private final long minDurationNanos;
  private final long maxDurationNanos;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final int limit;

  private TraceQuery(Builder b) {
    tenant = b.tenant;
    serviceName = b.serviceName;
    spanName = b.spanName;
    spanKind = b.spanKind;
    attributeFilters = Collections.unmodifiableList(new ArrayList<>(b.attributeFilters));
    errorOnly = b.errorOnly;
    minDurationNanos = b.minDurationNanos;
    maxDurationNanos = b.maxDurationNanos;
    startEpochNanos = b.startEpochNanos;
    endEpochNanos = b.endEpochNanos;
    limit = b.limit;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String tenant() {
    return tenant;
  }

  /** Service of the matching span, or null for any. */
  public String serviceName() {
    return serviceName;
  }

  /** Name (operation) of the matching span, or null for any. */
  public String spanName() {
    return spanName;
  }

  /** Kind of the matching span, or null for any. */
  public SpanKind spanKind() {
    return spanKind;
  }

  /** All must hold on the matching span (span or resource attributes). */
  public List<AttributeFilter> attributeFilters() {
    return attributeFilters;
  }

  /** The matching span has error status. */
  public boolean errorOnly() {
    return errorOnly;
  }

  /** Minimum duration of the matching span; 0 when absent. */
  public long minDurationNanos() {
    return minDurationNanos;
  }

  /** Maximum duration of the matching span; {@link Long#MAX_VALUE} when absent. */
  public long maxDurationNanos() {
    return maxDurationNanos;
  }

  /** The matching span starts at or after this. */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** The matching span starts at or before this. */
  public long endEpochNanos() {
    return endEpochNanos;
  }

  public int limit() {
    return limit;
  }

  public boolean hasDurationFilter() {
    return minDurationNanos > 0 || maxDurationNanos < Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return "TraceQuery{tenant=" + tenant + ", service=" + serviceName + ", name=" + spanName
        + ", kind=" + spanKind + ", attributes=" + attributeFilters + ", errorOnly=" + errorOnly
        + ", duration=[" + minDurationNanos + "," + maxDurationNanos + "], time=["
        + startEpochNanos + "," + endEpochNanos + "], limit=" + limit + "}";
  }

  /** {@link #build()} throws {@link IllegalArgumentException} naming the field that is wrong. */
  public static final class Builder {
    private String tenant = Tenants.DEFAULT;
    private String serviceName;
    private String spanName;
    private SpanKind spanKind;
    private final List<AttributeFilter> attributeFilters = new ArrayList<>();
    private boolean errorOnly;
    private long minDurationNanos;
    private long maxDurationNanos = Long.MAX_VALUE;
    private long startEpochNanos = -1;
    private long endEpochNanos = -1;
    private int limit = DEFAULT_LIMIT;

    Builder() {}

    public Builder tenant(String tenant) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    public Builder serviceName(String serviceName) {
      this.serviceName = emptyToNull(serviceName);
      return this;
    }

    public Builder spanName(String spanName) {
      this.spanName = emptyToNull(spanName);
      return this;
    }

    public Builder spanKind(SpanKind spanKind) {
      this.spanKind = spanKind == SpanKind.UNSPECIFIED ? null : spanKind;
      return this;
    }

    public Builder addAttributeFilter(AttributeFilter filter) {
      attributeFilters.add(Objects.requireNonNull(filter, "filter"));
      return this;
    }

    public Builder errorOnly(boolean errorOnly) {
      this.errorOnly = errorOnly;
      return this;
    }

    public Builder minDurationNanos(long minDurationNanos) {
      this.minDurationNanos = minDurationNanos;
      return this;
    }

    public Builder maxDurationNanos(long maxDurationNanos) {
      this.maxDurationNanos = maxDurationNanos;
      return this;
    }

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder endEpochNanos(long endEpochNanos) {
      this.endEpochNanos = endEpochNanos;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public TraceQuery build() {
      if (endEpochNanos < 0) throw new IllegalArgumentException("end time is required");
      if (startEpochNanos < 0) throw new IllegalArgumentException("start time is required");
      if (startEpochNanos > endEpochNanos) {
        throw new IllegalArgumentException("start time is after end time");
      }
      if (minDurationNanos < 0) throw new IllegalArgumentException("minDuration is negative");
      if (maxDurationNanos < minDurationNanos) {
        throw new IllegalArgumentException("maxDuration is less than minDuration");
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
      }
      return new TraceQuery(this);
    }

    private static String emptyToNull(String s) {
      return s == null || s.isEmpty() ? null : s;
    }
  }
}
