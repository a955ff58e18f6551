package dev.spanwise.opentracing;

import io.opentracing.Tracer;
import io.opentracing.contrib.tracerresolver.TracerFactory;

/**
 * Lets {@code TracerResolver.resolveTracer()} find a Spanwise tracer configured from the
 * environment ({@code OTEL_*}, {@code JAEGER_*}, or {@code otel.*} system properties). Registered
 * in {@code META-INF/services/io.opentracing.contrib.tracerresolver.TracerFactory}.
 */
public final class SpanwiseTracerFactory implements TracerFactory {
  @Override
  public Tracer getTracer() {
    return SpanwiseOpenTracer.create(dev.spanwise.tracer.Tracer.fromEnv());
  }
}
