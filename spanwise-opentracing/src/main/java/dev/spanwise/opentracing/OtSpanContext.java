package dev.spanwise.opentracing;

import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.SpanContext;
import java.util.Map;

/** An OpenTracing span context: our span context plus the span's baggage. Immutable. */
final class OtSpanContext implements io.opentracing.SpanContext {
  final SpanContext spanContext;
  final Baggage baggage;

  OtSpanContext(SpanContext spanContext, Baggage baggage) {
    this.spanContext = spanContext;
    this.baggage = baggage;
  }

  @Override
  public String toTraceId() {
    return spanContext.isValid() ? spanContext.traceId() : "";
  }

  @Override
  public String toSpanId() {
    return spanContext.isValid() ? spanContext.spanIdHex() : "";
  }

  @Override
  public Iterable<Map.Entry<String, String>> baggageItems() {
    return baggage.asMap().entrySet();
  }

  @Override
  public String toString() {
    return "OtSpanContext{" + spanContext + ", " + baggage + "}";
  }
}
