package dev.spanwise.collector.receiver.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Self-metrics of one receiver. Span counters count spans whose number is known (decoded);
 * requests refused before decoding show in {@code spanwise.receiver.requests} by status and reason.
 *
 * <ul>
 *   <li>{@code spanwise.spans.received{protocol}}: spans decoded, including rejected ones
 *   <li>{@code spanwise.spans.accepted{protocol}}: spans the pipeline made durable
 *   <li>{@code spanwise.spans.refused{protocol,reason}}: {@code invalid} (rejected in a partial
 *       success), {@code overloaded} (pipeline full), {@code pipeline_error}
 *   <li>{@code spanwise.receiver.requests{protocol,status,reason}}: answered requests
 *   <li>{@code spanwise.receiver.request.bytes{protocol}}: body size after decompression
 *   <li>{@code spanwise.receiver.inflight.bytes}: bytes reserved in the shared budget
 * </ul>
 */
public final class ReceiverMetrics {
  public static final String OTLP_GRPC = "otlp_grpc";
  public static final String OTLP_HTTP = "otlp_http";
  public static final String ZIPKIN = "zipkin";
  public static final String JAEGER_THRIFT_HTTP = "jaeger_thrift_http";
  public static final String JAEGER_GRPC = "jaeger_grpc";
  public static final String JAEGER_THRIFT_COMPACT = "jaeger_thrift_compact";
  public static final String JAEGER_THRIFT_BINARY = "jaeger_thrift_binary";

  private final MeterRegistry registry;
  private final String protocol;
  private final Counter received;
  private final Counter accepted;
  private final DistributionSummary requestBytes;

  public ReceiverMetrics(MeterRegistry registry, String protocol, InFlightBudget budget) {
    this.registry = Objects.requireNonNull(registry, "meterRegistry");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.received = Counter.builder("spanwise.spans.received")
        .description("Spans decoded by a receiver, including rejected ones")
        .tag("protocol", protocol)
        .register(registry);
    this.accepted = Counter.builder("spanwise.spans.accepted")
        .description("Spans made durable by the pipeline and acknowledged")
        .tag("protocol", protocol)
        .register(registry);
    this.requestBytes = DistributionSummary.builder("spanwise.receiver.request.bytes")
        .description("Request body size after decompression")
        .baseUnit("bytes")
        .tag("protocol", protocol)
        .register(registry);
    // One budget is shared by every receiver of the process: register its gauge once.
    if (registry.find("spanwise.receiver.inflight.bytes").gauge() == null) {
      Gauge.builder("spanwise.receiver.inflight.bytes", budget, InFlightBudget::used)
          .description("Request bytes reserved by all receivers, received but not yet answered")
          .baseUnit("bytes")
          .strongReference(true)
          .register(registry);
    }
  }

  public void received(long spans) {
    if (spans > 0) received.increment(spans);
  }

  public void accepted(long spans) {
    if (spans > 0) accepted.increment(spans);
  }

  public void refused(String reason, long spans) {
    if (spans > 0) {
      Counter.builder("spanwise.spans.refused")
          .description("Spans not accepted, by reason")
          .tag("protocol", protocol)
          .tag("reason", reason)
          .register(registry)
          .increment(spans);
    }
  }

  public void requestBytes(long bytes) {
    requestBytes.record(bytes);
  }

  /** One answered request; {@code status} is the HTTP status code or gRPC status name. */
  public void request(String status, String reason) {
    Counter.builder("spanwise.receiver.requests")
        .description("Requests answered by a receiver, by status and reason")
        .tag("protocol", protocol)
        .tag("status", status)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
