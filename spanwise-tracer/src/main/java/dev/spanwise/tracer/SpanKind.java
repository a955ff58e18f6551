package dev.spanwise.tracer;

/** The role of a span in a remote call, as in OTLP. */
public enum SpanKind {
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER
}
