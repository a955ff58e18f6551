package dev.spanwise.benchmarks.load;

import java.util.List;
import java.util.Map;

/**
 * One generated span, in OTLP terms, before it is encoded for a wire format.
 *
 * @param parentSpanId 0 for the root span
 * @param attributes span attributes in insertion order; values are String, Long, Double or Boolean
 * @param remoteService for CLIENT spans, the called service or database ({@code peer.service})
 */
record LoadSpan(
    TraceId traceId,
    long spanId,
    long parentSpanId,
    ServiceInstance instance,
    String scopeName,
    String name,
    Kind kind,
    long startEpochNanos,
    long endEpochNanos,
    Map<String, Object> attributes,
    List<LoadEvent> events,
    boolean error,
    String statusMessage,
    String remoteService,
    String remoteAddress,
    int remotePort) {

  enum Kind { INTERNAL, SERVER, CLIENT }

  /** A timestamped event on a span, such as an {@code exception}. */
  record LoadEvent(String name, long epochNanos, Map<String, Object> attributes) {}

  boolean isRoot() {
    return parentSpanId == 0;
  }

  long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }
}
