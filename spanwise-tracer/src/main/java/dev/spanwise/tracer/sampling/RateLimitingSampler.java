package dev.spanwise.tracer.sampling;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;

/**
 * A token bucket refilled at {@code tracesPerSecond}, holding at most {@code max(1,
 * tracesPerSecond)} credits, as the Jaeger clients' rate-limiting sampler.
 */
final class RateLimitingSampler implements Sampler {
  private final double tracesPerSecond;
  private final double maxBalance;
  private final String description;
  private double balance;
  private long lastTick;

  RateLimitingSampler(double tracesPerSecond) {
    if (!(tracesPerSecond >= 0.0) || Double.isInfinite(tracesPerSecond)) {
      throw new IllegalArgumentException("tracesPerSecond must be >= 0, was " + tracesPerSecond);
    }
    this.tracesPerSecond = tracesPerSecond;
    this.maxBalance = Math.max(tracesPerSecond, 1.0);
    this.balance = maxBalance;
    this.lastTick = System.nanoTime();
    this.description = "RateLimitingSampler{" + tracesPerSecond + "}";
  }

  double tracesPerSecond() {
    return tracesPerSecond;
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    return trySpend(System.nanoTime()) ? SamplingDecision.RECORD_AND_SAMPLE : SamplingDecision.DROP;
  }

  /** Visible for tests: spends one credit at the given monotonic time. */
  synchronized boolean trySpend(long nanoTime) {
    long elapsed = nanoTime - lastTick;
    if (elapsed > 0) {
      balance = Math.min(maxBalance, balance + elapsed * tracesPerSecond / 1e9);
      lastTick = nanoTime;
    }
    if (balance >= 1.0) {
      balance -= 1.0;
      return true;
    }
    return false;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
