package dev.spanwise.tracer;

/** Span status as in OTLP: unset until the application or instrumentation says otherwise. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR
}
