/**
 * Spanwise's one internal span model, with OpenTelemetry (OTLP) semantics. Zipkin's, Jaeger's and
 * OpenTracing's shapes exist only in the codec module and at the tracer's API edge.
 */
package dev.spanwise.model;
