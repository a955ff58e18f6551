package dev.spanwise.sampling;

import dev.spanwise.model.Span;
import dev.spanwise.sampling.internal.AdaptiveProbabilities;
import dev.spanwise.sampling.internal.FileStrategyStore;
import dev.spanwise.sampling.internal.SamplingMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jaeger remote sampling for the server: the strategy of each service, from a strategies file
 * (reloaded when it changes) or, without a file, from adaptive sampling fed with the spans
 * Spanwise stores. Serves them through {@link #httpService()} (Jaeger's HTTP endpoints, port
 * 5778), {@link #grpcService()} ({@code jaeger.api_v2.SamplingManager}, port 5779) and {@link
 * #queryApi()} (our own API on the query port).
 *
 * <pre>{@code
 * SamplingStrategies sampling = SamplingStrategies.builder()
 *     .strategiesFile(path)               // or leave out for adaptive sampling
 *     .adaptive(AdaptiveOptions.builder().targetTracesPerSecond(1).build())
 *     .stateFile(dataDir.resolve("sampling-state.json"))
 *     .meterRegistry(registry)
 *     .build();                           // a bad strategies file throws here
 * sampling.start();
 * // each batch the indexer stores:
 * sampling.observe(spans);
 * }</pre>
 */
public final class SamplingStrategies implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(SamplingStrategies.class);

  private final FileStrategyStore file;
  private final AdaptiveProbabilities adaptive;
  private final Duration reloadInterval;
  private final SamplingMetrics metrics;
  private final SamplingHttpService httpService;
  private final SamplingGrpcService grpcService;
  private final SamplingQueryApi queryApi;
  private ScheduledExecutorService scheduler;
  private boolean closed;

  private SamplingStrategies(Builder b) {
    this.metrics = new SamplingMetrics(b.meterRegistry);
    this.reloadInterval = b.reloadInterval;
    if (b.strategiesFile != null) {
      this.file = new FileStrategyStore(b.strategiesFile, metrics);
      this.adaptive = null;
    } else {
      this.file = null;
      this.adaptive = new AdaptiveProbabilities(b.adaptive, b.clock, b.stateFile, metrics);
    }
    this.httpService = new SamplingHttpService(this, metrics);
    this.grpcService = new SamplingGrpcService(this, metrics);
    this.queryApi = new SamplingQueryApi(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when strategies come from a file, false when from adaptive sampling. */
  public boolean fromFile() {
    return file != null;
  }

  /**
   * Starts the background work: polling the strategies file, or recomputing adaptive
   * probabilities every interval. Idempotent.
   */
  public synchronized void start() {
    if (scheduler != null || closed) return;
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spanwise-sampling");
      t.setDaemon(true);
      return t;
    });
    if (file != null) {
      long ms = reloadInterval.toMillis();
      scheduler.scheduleWithFixedDelay(this::reloadQuietly, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      long ms = adaptive.options().recomputeInterval().toMillis();
      scheduler.scheduleAtFixedRate(this::recomputeQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Feeds a batch of stored spans to adaptive sampling (a no-op with a strategies file). The
   * all-in-one calls it from its indexer, with each batch stored. Never throws.
   */
  public void observe(List<Span> spans) {
    if (adaptive == null || spans == null || spans.isEmpty()) return;
    try {
      adaptive.observe(spans);
    } catch (RuntimeException e) {
      logger.debug("Adaptive sampling could not count a batch", e);
    }
  }

  /** The strategy served to {@code service}. */
  public SamplingStrategy strategyFor(String service) {
    return resolve(service).strategy();
  }

  /** The strategy served to {@code service} and its source. */
  public ResolvedStrategy resolve(String service) {
    Objects.requireNonNull(service, "service");
    if (file != null) {
      SamplingStrategy own = file.strategies().services().get(service);
      return own != null
          ? new ResolvedStrategy(service, own, StrategySource.FILE)
          : new ResolvedStrategy(service, file.strategies().defaultStrategy(),
              StrategySource.DEFAULT);
    }
    SamplingStrategy computed = adaptive.strategyFor(service);
    return computed != null
        ? new ResolvedStrategy(service, computed, StrategySource.ADAPTIVE)
        : new ResolvedStrategy(service, adaptive.defaultStrategy(), StrategySource.DEFAULT);
  }

  /** Services with a strategy of their own: listed in the file, or seen by adaptive sampling. */
  public List<String> knownServices() {
    if (file != null) {
      List<String> names = new ArrayList<>(file.strategies().services().keySet());
      names.sort(null);
      return names;
    }
    return adaptive.services();
  }

  /** The strategy of a service with none of its own. */
  public SamplingStrategy defaultStrategy() {
    return file != null ? file.strategies().defaultStrategy() : adaptive.defaultStrategy();
  }

  /** Jaeger's HTTP endpoints {@code GET /sampling} and {@code GET /}. */
  public SamplingHttpService httpService() {
    return httpService;
  }

  /** Jaeger's gRPC {@code jaeger.api_v2.SamplingManager/GetSamplingStrategy}. */
  public SamplingGrpcService grpcService() {
    return grpcService;
  }

  /** Our API: {@code GET /api/spanwise/sampling/strategies[/{service}]}. */
  public SamplingQueryApi queryApi() {
    return queryApi;
  }

  AdaptiveProbabilities adaptive() {
    return adaptive;
  }

  FileStrategyStore file() {
    return file;
  }

  /** Recomputes adaptive probabilities now (tests and the scheduler). */
  void recomputeNow() {
    if (adaptive != null) adaptive.recompute();
  }

  /** Checks the strategies file now; true when new strategies are served. */
  boolean reloadNow() {
    return file != null && file.reloadIfChanged();
  }

  private void reloadQuietly() {
    try {
      file.reloadIfChanged();
    } catch (RuntimeException e) {
      logger.warn("Sampling strategies reload failed", e);
    }
  }

  private void recomputeQuietly() {
    try {
      adaptive.recompute();
    } catch (RuntimeException e) {
      logger.warn("Adaptive sampling recomputation failed", e);
    }
  }

  /** Stops the background work. The last computed probabilities are already saved. */
  @Override
  public synchronized void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }

  public static final class Builder {
    private Path strategiesFile;
    private Duration reloadInterval = Duration.ofSeconds(5);
    private AdaptiveOptions adaptive = AdaptiveOptions.defaults();
    private Path stateFile;
    private MeterRegistry meterRegistry;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Jaeger's strategies file ({@code --sampling-strategies-file}); turns adaptive off. */
    public Builder strategiesFile(Path path) {
      this.strategiesFile = path;
      return this;
    }

    /** How often the strategies file is checked for changes (default 5 s). */
    public Builder reloadInterval(Duration interval) {
      Objects.requireNonNull(interval, "reloadInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("reloadInterval must be > 0, was " + interval);
      }
      this.reloadInterval = interval;
      return this;
    }

    /** Adaptive sampling parameters, used when no strategies file is given. */
    public Builder adaptive(AdaptiveOptions options) {
      this.adaptive = Objects.requireNonNull(options, "adaptive");
      return this;
    }

    /** Where adaptive probabilities are kept across restarts; none when unset. */
    public Builder stateFile(Path path) {
      this.stateFile = path;
      return this;
    }

    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /** The clock adaptive sampling measures intervals with (tests pass a fake one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds, loading the strategies file or the adaptive state file.
     *
     * @throws IllegalArgumentException with a one-line message naming the file and field when
     *     the strategies file is missing or invalid
     */
    public SamplingStrategies build() {
      if (meterRegistry == null) meterRegistry = new SimpleMeterRegistry();
      return new SamplingStrategies(this);
    }
  }
}
