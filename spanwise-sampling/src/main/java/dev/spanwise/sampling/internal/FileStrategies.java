package dev.spanwise.sampling.internal;

import dev.spanwise.sampling.SamplingStrategy;
import java.util.Map;

/**
 * The strategies of one strategies file, resolved as Jaeger resolves them: a service listed in
 * {@code service_strategies} gets its own strategy (with the default's per-operation strategies
 * merged in), any other service the default.
 */
public record FileStrategies(SamplingStrategy defaultStrategy, Map<String, SamplingStrategy> services) {
  public FileStrategies {
    services = Map.copyOf(services);
  }

  public SamplingStrategy strategyFor(String service) {
    SamplingStrategy s = services.get(service);
    return s != null ? s : defaultStrategy;
  }
}
