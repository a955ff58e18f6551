package dev.spanwise.examples.seed;

import io.opentracing.Scope;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.contrib.tracerresolver.TracerResolver;
import io.opentracing.tag.Tags;
import io.opentracing.util.GlobalTracer;
import java.time.Duration;

/**
 * The seed program through the OpenTracing API, the tracer found by {@code
 * TracerResolver.resolveTracer()} (which picks up spanwise-opentracing's factory and configures it
 * from the environment or {@code otel.*} system properties).
 */
public final class SeedOpenTracing {
  private final Tracer tracer;
  private final Duration authTime;
  private final Duration productTime;

  SeedOpenTracing(Tracer tracer, Duration authTime, Duration productTime) {
    this.tracer = tracer;
    this.authTime = authTime;
    this.productTime = productTime;
  }

  public static void main(String[] args) throws InterruptedException {
    if (System.getenv("OTEL_SERVICE_NAME") == null && System.getProperty("otel.service.name") == null) {
      System.setProperty("otel.service.name", "seed-opentracing");
    }
    Tracer tracer = TracerResolver.resolveTracer();
    if (tracer == null) {
      throw new IllegalStateException("TracerResolver found no tracer: is spanwise-opentracing on the class path?");
    }
    GlobalTracer.registerIfAbsent(tracer);
    String traceId = new SeedOpenTracing(tracer, Duration.ofMillis(200), Duration.ofMillis(500)).run();
    tracer.close(); // flushes
    System.out.println("trace " + traceId + " sent");
  }

  /** Runs the program once; returns the trace id. */
  String run() throws InterruptedException {
    Span span = tracer.buildSpan("user_request").start();
    try (Scope scope = tracer.activateSpan(span)) {
      SpanContext ctx = span.context();
      authService(ctx);
      productService(ctx);
    } finally {
      span.finish();
    }
    return span.context().toTraceId();
  }

  private void authService(SpanContext ctx) throws InterruptedException {
    Span span = tracer.buildSpan("auth_service").asChildOf(ctx).start();
    try {
      Thread.sleep(authTime.toMillis());
      span.log("authenticated");
    } finally {
      span.finish();
    }
  }

  private void productService(SpanContext ctx) throws InterruptedException {
    Span span = tracer.buildSpan("product_service").asChildOf(ctx).start();
    try {
      Thread.sleep(productTime.toMillis());
      Tags.ERROR.set(span, true);
      span.log("product details fetched");
    } finally {
      span.finish();
    }
  }
}
