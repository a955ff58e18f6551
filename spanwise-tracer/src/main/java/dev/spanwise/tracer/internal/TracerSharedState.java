package dev.spanwise.tracer.internal;

import dev.spanwise.tracer.Resource;
import dev.spanwise.tracer.SpanLimits;
import dev.spanwise.tracer.export.SpanProcessor;
import dev.spanwise.tracer.propagation.TextMapPropagator;
import dev.spanwise.tracer.sampling.Sampler;

/** What all tracers of one pipeline share. */
public final class TracerSharedState {
  public final Resource resource;
  public final Sampler sampler;
  public final SpanProcessor processor;
  public final TextMapPropagator propagator;
  public final SpanLimits limits;
  public final AnchoredClock clock = new AnchoredClock();
  private volatile boolean shutdown;

  public TracerSharedState(
      Resource resource, Sampler sampler, SpanProcessor processor, TextMapPropagator propagator,
      SpanLimits limits) {
    this.resource = resource;
    this.sampler = sampler;
    this.processor = processor;
    this.propagator = propagator;
    this.limits = limits;
  }

  public boolean isShutdown() {
    return shutdown;
  }

  public void markShutdown() {
    shutdown = true;
  }
}
