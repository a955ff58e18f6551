package dev.spanwise.examples.seed;

import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.GlobalTracer;
import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The seed program through the Spanwise API: {@code user_request} with two children, the second
 * marked as error, each with its log event. Configured from the environment ({@code
 * OTEL_EXPORTER_OTLP_ENDPOINT}, default http://localhost:4318; service name {@code seed} unless
 * {@code OTEL_SERVICE_NAME} says otherwise).
 */
public final class SeedProgram {
  private final Tracer tracer;
  private final Duration authTime;
  private final Duration productTime;

  SeedProgram(Tracer tracer, Duration authTime, Duration productTime) {
    this.tracer = tracer;
    this.authTime = authTime;
    this.productTime = productTime;
  }

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("OTEL_SERVICE_NAME", "seed");
    Tracer tracer = Tracer.fromEnv(env);
    GlobalTracer.set(tracer);
    String traceId = new SeedProgram(tracer, Duration.ofMillis(200), Duration.ofMillis(500)).run();
    tracer.close(); // flushes
    System.out.println("trace " + traceId + " sent to " + env.getOrDefault(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"));
  }

  /** Runs the program once; returns the trace id. */
  String run() throws InterruptedException {
    Span span = tracer.startSpan("user_request");
    try (Scope scope = span.makeCurrent()) {
      Context ctx = Context.current();
      authService(ctx);
      productService(ctx);
    } finally {
      span.end();
    }
    return span.context().traceId();
  }

  private void authService(Context ctx) throws InterruptedException {
    Span span = tracer.spanBuilder("auth_service").setParent(ctx).startSpan();
    try {
      Thread.sleep(authTime.toMillis());
      span.addEvent("authenticated");
    } finally {
      span.end();
    }
  }

  private void productService(Context ctx) throws InterruptedException {
    Span span = tracer.spanBuilder("product_service").setParent(ctx).startSpan();
    try {
      Thread.sleep(productTime.toMillis());
      span.setStatus(StatusCode.ERROR, "product service failed");
      span.addEvent("product details fetched");
    } finally {
      span.end();
    }
  }
}
