package dev.spanwise.opentracing;

import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.propagation.TextMapGetter;
import io.opentracing.Scope;
import io.opentracing.ScopeManager;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapExtract;
import io.opentracing.propagation.TextMapInject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenTracing 0.33 {@link Tracer} on a Spanwise tracer. Text-map and HTTP-header formats use
 * the Spanwise tracer's propagator (W3C Trace Context and Baggage by default, or what {@code
 * OTEL_PROPAGATORS} says); the binary format is not supported and injects or extracts nothing.
 * The active span is the Spanwise current span, so both APIs can be mixed.
 */
public final class SpanwiseOpenTracer implements Tracer {
  private static final Logger LOG = Logger.getLogger(SpanwiseOpenTracer.class.getName());

  private final dev.spanwise.tracer.Tracer tracer;
  private final OtScopeManager scopeManager = new OtScopeManager();

  private SpanwiseOpenTracer(dev.spanwise.tracer.Tracer tracer) {
    this.tracer = tracer;
  }

  /** An OpenTracing view of {@code tracer}; closing it closes {@code tracer}. */
  public static SpanwiseOpenTracer create(dev.spanwise.tracer.Tracer tracer) {
    return new SpanwiseOpenTracer(Objects.requireNonNull(tracer, "tracer"));
  }

  /** The Spanwise tracer underneath. */
  public dev.spanwise.tracer.Tracer unwrap() {
    return tracer;
  }

  static OtSpan unwrap(io.opentracing.Span span) {
    return span instanceof OtSpan ? (OtSpan) span : null;
  }

  @Override
  public ScopeManager scopeManager() {
    return scopeManager;
  }

  @Override
  public io.opentracing.Span activeSpan() {
    return scopeManager.activeSpan();
  }

  @Override
  public Scope activateSpan(io.opentracing.Span span) {
    return scopeManager.activate(span);
  }

  @Override
  public SpanBuilder buildSpan(String operationName) {
    return new OtSpanBuilder(this, tracer.spanBuilder(operationName));
  }

  @Override
  public <C> void inject(SpanContext spanContext, Format<C> format, C carrier) {
    if (!(spanContext instanceof OtSpanContext) || !(carrier instanceof TextMapInject)) {
      LOG.log(Level.FINE, "inject: unsupported span context or format {0}", format);
      return;
    }
    OtSpanContext ctx = (OtSpanContext) spanContext;
    Context context = Context.root().with(Span.wrap(ctx.spanContext)).with(ctx.baggage);
    TextMapInject inject = (TextMapInject) carrier;
    tracer.inject(context, inject, TextMapInject::put);
  }

  @Override
  public <C> SpanContext extract(Format<C> format, C carrier) {
    if (!(carrier instanceof TextMapExtract)) {
      LOG.log(Level.FINE, "extract: unsupported format {0}", format);
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> e : (TextMapExtract) carrier) {
        fields.put(e.getKey(), e.getValue());
      }
    } catch (RuntimeException e) {
      return null;
    }
    Context context = tracer.extract(fields, TextMapGetter.forMap());
    if (!context.hasSpan()) {
      return null;
    }
    return new OtSpanContext(context.spanContext(), context.baggage());
  }

  @Override
  public void close() {
    tracer.close();
  }

  @Override
  public String toString() {
    return "SpanwiseOpenTracer{" + tracer + "}";
  }
}
