package dev.spanwise.sampling.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spanwise.model.Span;
import dev.spanwise.sampling.AdaptiveOptions;
import dev.spanwise.sampling.OperationStrategies;
import dev.spanwise.sampling.SamplingStrategy;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adaptive sampling: counts the traces each service starts per root-span operation and, every
 * interval, computes the probability that holds the target rate of sampled traces per second.
 *
 * <p>Each stored root span stands for {@code 1/p} started traces ({@link RootSpanWeights}), so
 * the traffic estimate includes the traces the clients did not sample: an interval of {@code T}
 * seconds with {@code n} sampled roots of mean probability {@code p} (harmonic mean of the
 * recorded ones; the served probability when none was seen) saw {@code n} samples for an
 * exposure of {@code p * T}. Over the last {@code windowIntervals} intervals the estimate is
 * {@code sum(n) / sum(p * T)} traces per second, which weighs each interval by how much it
 * saw (or the last interval alone when it shows more than twice that: a surge is answered at
 * once). The wanted probability is {@code target / estimated}. As in Jaeger's adaptive sampling processor, a probability falls to that at
 * once (oversampling costs), rises by at most {@code percentageIncreaseCap} per interval, is left
 * alone while the expected sampled rate is within {@code deltaTolerance} of the target, and stays
 * within [{@code minSamplingProbability}, 1]. An operation not seen in the window keeps its
 * probability. The lower bound of traces per second is served to clients, who sample at least
 * that rate of each operation whatever its probability.
 *
 * <p>Probabilities are written to a state file after each recomputation (temporary file, then
 * atomic move) and read back at start.
 */
public final class AdaptiveProbabilities {
  private static final Logger logger = LoggerFactory.getLogger(AdaptiveProbabilities.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int STATE_VERSION = 1;
  /** The last interval alone is trusted over the window when it shows this much more traffic. */
  private static final double SURGE_FACTOR = 2.0;

  private final AdaptiveOptions options;
  private final Clock clock;
  private final Path stateFile;
  private final SamplingMetrics metrics;
  private final ConcurrentHashMap<String, ServiceState> services = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger totalOperations =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Object recomputeLock = new Object();
  private long lastRecomputeMillis;

  public AdaptiveProbabilities(
      AdaptiveOptions options, Clock clock, Path stateFile, SamplingMetrics metrics) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.stateFile = stateFile;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.lastRecomputeMillis = clock.millis();
    if (stateFile != null) load();
  }

  public AdaptiveOptions options() {
    return options;
  }

  /** Counts the root spans of a stored batch. Never throws. */
  public void observe(List<Span> spans) {
    int roots = 0;
    for (Span span : spans) {
      if (!span.isRoot()) continue;
      roots++;
      OperationState op = operation(span.serviceName(), span.name(), true);
      if (op == null) continue;
      op.count(RootSpanWeights.weight(span, op.probability));
    }
    metrics.observedRoots(roots);
  }

  /** The operation's state, created if allowed by the limits; null when a limit drops it. */
  private OperationState operation(String service, String operation, boolean count) {
    ServiceState state = services.get(service);
    if (state == null) {
      state = services.computeIfAbsent(service, name ->
          services.size() >= options.maxServices() ? null : new ServiceState());
      if (state == null) {
        if (count) metrics.droppedService();
        return null;
      }
    }
    ConcurrentHashMap<String, OperationState> operations = state.operations;
    OperationState op = operations.get(operation);
    if (op != null) return op;
    op = operations.computeIfAbsent(operation, name -> {
      if (operations.size() >= options.maxOperationsPerService()) return null;
      if (totalOperations.incrementAndGet() > options.maxOperations()) {
        totalOperations.decrementAndGet();
        return null;
      }
      return new OperationState(options.initialSamplingProbability(), options.windowIntervals());
    });
    if (op == null && count) metrics.droppedOperation();
    return op;
  }

  /** Recomputes every probability from the traffic since the last call; then saves the state. */
  public void recompute() {
    synchronized (recomputeLock) {
      long now = clock.millis();
      double seconds = Math.max(0.001, (now - lastRecomputeMillis) / 1000.0);
      lastRecomputeMillis = now;
      for (ServiceState service : services.values()) {
        for (OperationState op : service.operations.values()) {
          op.recompute(seconds, options);
        }
      }
      metrics.recomputed();
      if (stateFile != null) save();
    }
  }

  /** The strategy of {@code service}, or null when adaptive sampling has not seen it. */
  public SamplingStrategy strategyFor(String service) {
    ServiceState state = services.get(service);
    if (state == null) return null;
    OperationStrategies.Builder builder = baseOperations();
    new TreeMap<>(state.operations).forEach((name, op) -> builder.put(name, op.probability));
    return SamplingStrategy.perOperation(builder.build());
  }

  /** What an unseen service is served: per-operation strategies with no operation. */
  public SamplingStrategy defaultStrategy() {
    return SamplingStrategy.perOperation(baseOperations().build());
  }

  private OperationStrategies.Builder baseOperations() {
    return OperationStrategies.builder()
        .defaultSamplingProbability(options.initialSamplingProbability())
        .defaultLowerBoundTracesPerSecond(options.lowerBoundTracesPerSecond());
  }

  /** The services seen, by name. */
  public List<String> services() {
    List<String> names = new ArrayList<>(services.keySet());
    names.sort(null);
    return names;
  }

  /** Per-operation probabilities and rates of {@code service}, by operation; empty if unseen. */
  public List<OperationSnapshot> snapshot(String service) {
    ServiceState state = services.get(service);
    if (state == null) return List.of();
    List<OperationSnapshot> out = new ArrayList<>();
    new TreeMap<>(state.operations).forEach((name, op) -> out.add(op.snapshot(name)));
    return out;
  }

  /** One operation as our API shows it. */
  public record OperationSnapshot(
      String operation,
      double probability,
      double sampledTracesPerSecond,
      double estimatedTracesPerSecond) {}

  private void save() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", STATE_VERSION);
    root.put("savedAtEpochMillis", clock.millis());
    ObjectNode servicesNode = root.putObject("services");
    new TreeMap<>(services).forEach((service, state) -> {
      ObjectNode ops = servicesNode.putObject(service);
      new TreeMap<>(state.operations).forEach((name, op) -> ops.put(name, op.probability));
    });
    Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
    try {
      Path dir = stateFile.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      try {
        Files.move(tmp, stateFile,
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING);
      }
      metrics.stateWrite(true);
    } catch (IOException e) {
      metrics.stateWrite(false);
      logger.warn("Cannot write the adaptive sampling state to {}: {}", stateFile, e.toString());
    }
  }

  private void load() {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(stateFile));
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      logger.warn("Adaptive sampling state {} unreadable, starting afresh: {}",
          stateFile, e.toString());
      return;
    }
    JsonNode servicesNode = root == null ? null : root.get("services");
    if (servicesNode == null || !servicesNode.isObject()
        || root.path("version").asInt() != STATE_VERSION) {
      logger.warn("Adaptive sampling state {} is not a version {} state file, starting afresh",
          stateFile, STATE_VERSION);
      return;
    }
    int loaded = 0;
    for (Map.Entry<String, JsonNode> service : servicesNode.properties()) {
      if (!service.getValue().isObject()) continue;
      for (Map.Entry<String, JsonNode> entry : service.getValue().properties()) {
        double p = entry.getValue().asDouble(Double.NaN);
        if (!(p >= options.minSamplingProbability() && p <= 1)) continue;
        OperationState op = operation(service.getKey(), entry.getKey(), false);
        if (op == null) continue;
        op.probability = p;
        loaded++;
      }
    }
    logger.info("Adaptive sampling state loaded from {}: {} operation probabilities",
        stateFile, loaded);
  }

  private static final class ServiceState {
    final ConcurrentHashMap<String, OperationState> operations = new ConcurrentHashMap<>();
  }

  private static final class OperationState {
    volatile double probability;
    private long sampled;
    private double weighted;
    private final ArrayDeque<double[]> window = new ArrayDeque<>();
    private final int windowIntervals;
    private volatile double sampledPerSecond;
    private volatile double estimatedPerSecond;

    OperationState(double probability, int windowIntervals) {
      this.probability = probability;
      this.windowIntervals = windowIntervals;
    }

    synchronized void count(double weight) {
      sampled++;
      weighted += weight;
    }

    void recompute(double seconds, AdaptiveOptions options) {
      long intervalSampled;
      double intervalWeighted;
      synchronized (this) {
        intervalSampled = sampled;
        intervalWeighted = weighted;
        sampled = 0;
        weighted = 0;
      }
      double old = probability;
      // exposure: the seconds of traffic the samples stand for, p * T; with samples, p is the
      // (harmonic) mean of the recorded probabilities, without any, the probability served
      double exposure = intervalSampled > 0
          ? intervalSampled * seconds / intervalWeighted
          : old * seconds;
      window.addLast(new double[] {intervalSampled, exposure, seconds});
      while (window.size() > windowIntervals) window.removeFirst();
      double windowSampled = 0;
      double windowExposure = 0;
      double windowSeconds = 0;
      for (double[] bucket : window) {
        windowSampled += bucket[0];
        windowExposure += bucket[1];
        windowSeconds += bucket[2];
      }
      sampledPerSecond = windowSampled / windowSeconds;
      if (windowSampled == 0) { // nothing seen: no evidence to move on
        estimatedPerSecond = 0;
        return;
      }
      double estimated = windowSampled / windowExposure;
      double latest = intervalSampled / exposure;
      if (latest > SURGE_FACTOR * estimated) estimated = latest; // a surge: react now
      estimatedPerSecond = estimated;
      double target = options.targetTracesPerSecond();
      double expected = estimated * old;
      if (Math.abs(expected - target) <= options.deltaTolerance() * target) return;
      double wanted = target / estimated;
      if (wanted > old) wanted = Math.min(wanted, old * (1 + options.percentageIncreaseCap()));
      probability = Math.min(1.0, Math.max(options.minSamplingProbability(), wanted));
    }

    OperationSnapshot snapshot(String name) {
      return new OperationSnapshot(name, probability, sampledPerSecond, estimatedPerSecond);
    }
  }
}
