package dev.spanwise.tracer.sampling;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;

/**
 * Decides whether a new span is recorded and sampled. Called on the application thread for every
 * span start: must be fast, must not block, must not throw.
 */
public interface Sampler {
  /**
   * @param parent the parent's context, {@link SpanContext#invalid()} for a root span
   */
  SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind);

  /** A short description, such as {@code TraceIdRatioBased{0.25}}. */
  String description();

  /** Samples everything. */
  static Sampler alwaysOn() {
    return ConstantSampler.ALWAYS_ON;
  }

  /** Samples nothing. */
  static Sampler alwaysOff() {
    return ConstantSampler.ALWAYS_OFF;
  }

  /**
   * Samples the given share of traces, decided from the trace id alone so that all services
   * agree, as the OpenTelemetry {@code TraceIdRatioBased} sampler does.
   */
  static Sampler traceIdRatio(double ratio) {
    return new TraceIdRatioSampler(ratio);
  }

  /** Samples at most {@code tracesPerSecond} new traces per second (token bucket). */
  static Sampler rateLimiting(double tracesPerSecond) {
    return new RateLimitingSampler(tracesPerSecond);
  }

  /** Follows the parent's decision; {@code root} decides for root spans. */
  static Sampler parentBased(Sampler root) {
    return ParentBasedSampler.builder(root).build();
  }
}
