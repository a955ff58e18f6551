package dev.spanwise.tracer.propagation;

import dev.spanwise.tracer.Context;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Injects a context into, and extracts it from, a carrier of string fields. Extraction never
 * throws: invalid fields leave the given context unchanged, so the next span starts a new trace.
 */
public interface TextMapPropagator {
  /** The field names this propagator writes. */
  Collection<String> fields();

  <C> void inject(Context context, C carrier, TextMapSetter<C> setter);

  /** {@code context} with what was found in the carrier added; {@code context} when nothing was. */
  <C> Context extract(Context context, C carrier, TextMapGetter<C> getter);

  /** W3C Trace Context: {@code traceparent} and {@code tracestate}. */
  static TextMapPropagator w3cTraceContext() {
    return W3CTraceContextPropagator.INSTANCE;
  }

  /** W3C Baggage: {@code baggage}. */
  static TextMapPropagator w3cBaggage() {
    return W3CBaggagePropagator.INSTANCE;
  }

  /** B3 single header: {@code b3}. */
  static TextMapPropagator b3Single() {
    return B3Propagator.SINGLE;
  }

  /** B3 multiple headers: {@code X-B3-TraceId}, {@code X-B3-SpanId}, {@code X-B3-Sampled}... */
  static TextMapPropagator b3Multi() {
    return B3Propagator.MULTI;
  }

  /** Jaeger: {@code uber-trace-id} and {@code uberctx-*} baggage. */
  static TextMapPropagator jaeger() {
    return JaegerPropagator.INSTANCE;
  }

  /** Propagates nothing. */
  static TextMapPropagator noop() {
    return CompositePropagator.NOOP;
  }

  /** Injects with all, extracts with each in order (a later one overrides an earlier one). */
  static TextMapPropagator composite(TextMapPropagator... propagators) {
    return composite(Arrays.asList(propagators));
  }

  static TextMapPropagator composite(List<TextMapPropagator> propagators) {
    if (propagators.isEmpty()) {
      return noop();
    }
    if (propagators.size() == 1) {
      return propagators.get(0);
    }
    return new CompositePropagator(Collections.unmodifiableList(propagators));
  }
}
