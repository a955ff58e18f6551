package dev.spanwise.query;

import dev.spanwise.query.internal.QueryThreads;
import dev.spanwise.storage.Tenants;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings shared by the query APIs: the tenant every query is asked for, the clock that says what
 * "now" is when a request leaves out its end time, the read-time {@link TraceAdjuster} applied
 * to every trace before it is rendered, and the threads that answer requests.
 */
public final class QueryOptions {
  private static final QueryOptions DEFAULTS = builder().build();

  private final String tenant;
  private final Clock clock;
  private final TraceAdjuster traceAdjuster;
  private final Executor executor;

  private QueryOptions(Builder b) {
    tenant = b.tenant;
    clock = b.clock;
    traceAdjuster = b.traceAdjuster;
    executor = b.executor;
  }

  /** Default tenant, system clock, {@link TraceAdjuster#standard()}, the shared query threads. */
  public static QueryOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String tenant() {
    return tenant;
  }

  public Clock clock() {
    return clock;
  }

  public TraceAdjuster traceAdjuster() {
    return traceAdjuster;
  }

  /**
   * Where requests are answered, off Armeria's event loops (storage calls block). By default a
   * pool shared by the query APIs of the JVM, a few threads per processor.
   */
  public Executor executor() {
    return executor;
  }

  @Override
  public String toString() {
    return "QueryOptions{tenant=" + tenant + ", clock=" + clock + "}";
  }

  /** Builds {@link QueryOptions}; setters throw at once naming the field. */
  public static final class Builder {
    private String tenant = Tenants.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private TraceAdjuster traceAdjuster = TraceAdjuster.standard();
    private Executor executor = QueryThreads.shared();

    Builder() {}

    public Builder tenant(String tenant) {
      Objects.requireNonNull(tenant, "tenant");
      if (tenant.isEmpty()) throw new IllegalArgumentException("tenant is empty");
      this.tenant = tenant;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Replaces the adjuster chain; use {@link TraceAdjuster#chain} to add to the standard one. */
    public Builder traceAdjuster(TraceAdjuster traceAdjuster) {
      this.traceAdjuster = Objects.requireNonNull(traceAdjuster, "traceAdjuster");
      return this;
    }

    /** Runs requests on {@code executor} instead of the shared query threads. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public QueryOptions build() {
      return new QueryOptions(this);
    }
  }
}
