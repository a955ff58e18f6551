package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.EnvironmentConfig;
import dev.spanwise.tracer.internal.TracerSharedState;
import dev.spanwise.tracer.propagation.TextMapGetter;
import dev.spanwise.tracer.propagation.TextMapPropagator;
import dev.spanwise.tracer.propagation.TextMapSetter;
import dev.spanwise.tracer.sampling.Sampler;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Creates spans and owns their pipeline (sampler, processor, exporter, propagator). Thread-safe.
 * Create one with {@link #fromEnv()} or {@link #builder()}; {@link #close()} flushes.
 *
 * <pre>{@code
 * try (Tracer tracer = Tracer.fromEnv()) {
 *   Span span = tracer.spanBuilder("user_request").startSpan();
 *   try (Scope scope = span.makeCurrent()) {
 *     ...
 *   } finally {
 *     span.end();
 *   }
 * }
 * }</pre>
 */
public final class Tracer implements Closeable {
  /** The instrumentation scope of spans made directly through this library. */
  public static final String DEFAULT_SCOPE_NAME = "dev.spanwise.tracer";

  private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final TracerSharedState state;
  private final InstrumentationScope scope;

  Tracer(TracerSharedState state, InstrumentationScope scope) {
    this.state = state;
    this.scope = scope;
  }

  public static TracerBuilder builder() {
    return new TracerBuilder();
  }

  /**
   * A tracer configured from the process environment ({@code OTEL_*}, and {@code JAEGER_*} for
   * programs moving from the Jaeger client), with system properties such as {@code
   * otel.service.name} taking precedence. Bad values log one warning naming the variable and fall
   * back to the default. Does not register the tracer globally: see {@link GlobalTracer}.
   */
  public static Tracer fromEnv() {
    return fromEnv(EnvironmentConfig.processEnvironment());
  }

  /** A tracer configured from {@code env} (variable name to value) instead of the process. */
  public static Tracer fromEnv(Map<String, String> env) {
    return EnvironmentConfig.parse(env).toBuilder().build();
  }

  /** A tracer that records nothing and propagates W3C context (what OTEL_SDK_DISABLED gives). */
  public static Tracer noop() {
    return builder().sampler(Sampler.alwaysOff()).build();
  }

  /** A builder for a span named {@code name}. */
  public SpanBuilder spanBuilder(String name) {
    return new SpanBuilder(state, scope, name);
  }

  /** Starts a span named {@code name}, child of the current span if any. */
  public Span startSpan(String name) {
    return spanBuilder(name).startSpan();
  }

  /** A tracer sharing this one's pipeline whose spans name another instrumentation scope. */
  public Tracer withScope(String name, String version) {
    return new Tracer(state, InstrumentationScope.create(name, version));
  }

  public InstrumentationScope instrumentationScope() {
    return scope;
  }

  public Resource resource() {
    return state.resource;
  }

  public Sampler sampler() {
    return state.sampler;
  }

  public SpanLimits spanLimits() {
    return state.limits;
  }

  public TextMapPropagator propagator() {
    return state.propagator;
  }

  /** Injects the current context into {@code carrier} with this tracer's propagator. */
  public <C> void inject(C carrier, TextMapSetter<C> setter) {
    inject(Context.current(), carrier, setter);
  }

  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    try {
      state.propagator.inject(context, carrier, setter);
    } catch (RuntimeException e) {
      // a carrier's setter failed: never into the application
    }
  }

  /**
   * Extracts a context from {@code carrier} with this tracer's propagator; the root context when
   * the carrier has none or it is invalid.
   */
  public <C> Context extract(C carrier, TextMapGetter<C> getter) {
    try {
      return state.propagator.extract(Context.root(), carrier, getter);
    } catch (RuntimeException e) {
      return Context.root();
    }
  }

  /** Exports every ended span; true when done within {@code timeout}. */
  public boolean flush(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return state.processor.flush(timeout);
  }

  /** Flushes and stops the pipeline; later spans are not recorded. True if done in time. */
  public boolean close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (state.isShutdown()) {
      return true;
    }
    state.markShutdown();
    return state.processor.shutdown(timeout);
  }

  /** {@link #close(Duration)} with 10 seconds. */
  @Override
  public void close() {
    close(DEFAULT_CLOSE_TIMEOUT);
  }

  @Override
  public String toString() {
    return "Tracer{service=" + state.resource.serviceName() + ", sampler="
        + state.sampler.description() + ", processor=" + state.processor + ", propagator="
        + state.propagator + "}";
  }
}
