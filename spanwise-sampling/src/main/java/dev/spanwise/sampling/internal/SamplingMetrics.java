package dev.spanwise.sampling.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/** Spanwise's own metrics about sampling, in Micrometer. */
public final class SamplingMetrics {
  public static final String REQUESTS = "spanwise.sampling.requests";
  public static final String RECOMPUTES = "spanwise.sampling.adaptive.recomputes";
  public static final String DROPPED = "spanwise.sampling.adaptive.dropped";
  public static final String OBSERVED_ROOTS = "spanwise.sampling.adaptive.root.spans";
  public static final String FILE_RELOADS = "spanwise.sampling.file.reloads";
  public static final String STATE_WRITES = "spanwise.sampling.adaptive.state.writes";

  private final MeterRegistry registry;
  private final Counter recomputes;
  private final Counter observedRoots;
  private final Counter droppedServices;
  private final Counter droppedOperations;

  public SamplingMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.recomputes = Counter.builder(RECOMPUTES)
        .description("Adaptive sampling recomputations of per-operation probabilities")
        .register(registry);
    this.observedRoots = Counter.builder(OBSERVED_ROOTS)
        .description("Root spans counted by adaptive sampling")
        .register(registry);
    this.droppedServices = Counter.builder(DROPPED)
        .description("Root spans not tracked by adaptive sampling because a limit was reached")
        .tag("limit", "services")
        .register(registry);
    this.droppedOperations = Counter.builder(DROPPED)
        .description("Root spans not tracked by adaptive sampling because a limit was reached")
        .tag("limit", "operations")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One strategy request; protocol {@code http}, {@code http_legacy} or {@code grpc}. */
  public void request(String protocol, String outcome) {
    Counter.builder(REQUESTS)
        .description("Sampling strategy requests by protocol and outcome")
        .tag("protocol", protocol)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  public void recomputed() {
    recomputes.increment();
  }

  public void observedRoots(int count) {
    if (count > 0) observedRoots.increment(count);
  }

  public void droppedService() {
    droppedServices.increment();
  }

  public void droppedOperation() {
    droppedOperations.increment();
  }

  public void fileReload(boolean success) {
    Counter.builder(FILE_RELOADS)
        .description("Loads of the sampling strategies file after a change, by outcome")
        .tag("outcome", success ? "success" : "failure")
        .register(registry)
        .increment();
  }

  public void stateWrite(boolean success) {
    Counter.builder(STATE_WRITES)
        .description("Writes of the adaptive sampling state file, by outcome")
        .tag("outcome", success ? "success" : "failure")
        .register(registry)
        .increment();
  }
}
