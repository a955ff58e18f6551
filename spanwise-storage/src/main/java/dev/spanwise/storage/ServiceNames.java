package dev.spanwise.storage;

import dev.spanwise.model.SpanKind;
import java.io.IOException;
import java.util.List;

/** The service and operation names seen, for pickers and Jaeger's and Zipkin's name endpoints. */
public interface ServiceNames {
  /** Service names, sorted. */
  List<String> services(String tenant) throws IOException;

  /**
   * Operations of a service, sorted by name then kind. {@code kind} null means all kinds.
   */
  List<Operation> operations(String tenant, String service, SpanKind kind) throws IOException;

  /**
   * Services that {@code service} called, as Zipkin's remote service names: the {@code
   * peer.service} (or {@code server.address}) of its client and producer spans. Sorted.
   */
  List<String> remoteServices(String tenant, String service) throws IOException;
}
