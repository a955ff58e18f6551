package dev.spanwise.tracer.sampling;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.internal.MiniJson;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls a Jaeger-compatible sampling endpoint ({@code GET endpoint?service=NAME}) on a daemon
 * thread and samples as it says: {@code probabilistic}, {@code rate-limiting}, or per-operation
 * probabilities with a default and a lower bound of traces per second per operation (so a rare
 * operation is still sampled now and then), for at most {@value #MAX_OPERATIONS} operations. Until the first successful poll, and whenever the endpoint cannot
 * be reached or answers garbage, the last good (initially the configured default) strategy stays.
 */
public final class JaegerRemoteSampler implements Sampler, Closeable {
  private static final Logger LOG = Logger.getLogger(JaegerRemoteSampler.class.getName());

  private final URL url;
  private final Duration pollingInterval;
  private final Thread poller;
  private volatile Strategy strategy;
  private volatile boolean closed;

  /** The maximum number of operations with their own sampler, as the Jaeger clients default. */
  static final int MAX_OPERATIONS = 2000;

  /**
   * What the endpoint said. In per-operation mode every operation gets its own {@link
   * LowerBoundedRatioSampler} (its listed probability, or the default one, and the default lower
   * bound), created on first use up to {@link #MAX_OPERATIONS}; later operations share {@code
   * defaultSampler}.
   */
  static final class Strategy {
    final Sampler defaultSampler;
    final boolean perOperationMode;
    final double defaultProbability;
    final double lowerBound;
    final Map<String, Double> listedProbabilities;
    final ConcurrentHashMap<String, LowerBoundedRatioSampler> operations = new ConcurrentHashMap<>();

    Strategy(Sampler defaultSampler) {
      this.defaultSampler = defaultSampler;
      this.perOperationMode = false;
      this.defaultProbability = 0;
      this.lowerBound = 0;
      this.listedProbabilities = Collections.emptyMap();
    }

    Strategy(double defaultProbability, double lowerBound, Map<String, Double> listedProbabilities) {
      this.defaultSampler = Sampler.traceIdRatio(defaultProbability);
      this.perOperationMode = true;
      this.defaultProbability = defaultProbability;
      this.lowerBound = lowerBound;
      this.listedProbabilities = listedProbabilities;
    }

    Sampler samplerFor(String operation) {
      if (!perOperationMode || operation == null) {
        return defaultSampler;
      }
      LowerBoundedRatioSampler sampler = operations.get(operation);
      if (sampler != null) {
        return sampler;
      }
      if (operations.size() >= MAX_OPERATIONS) {
        return defaultSampler;
      }
      return operations.computeIfAbsent(operation, op -> new LowerBoundedRatioSampler(
          listedProbabilities.getOrDefault(op, defaultProbability), lowerBound));
    }

    /**
     * Keeps the samplers of {@code previous} whose probability and bound did not change, so a
     * refresh does not hand every operation a new lower-bound credit.
     */
    Strategy carryOver(Strategy previous) {
      if (perOperationMode && previous.perOperationMode) {
        for (Map.Entry<String, LowerBoundedRatioSampler> e : previous.operations.entrySet()) {
          LowerBoundedRatioSampler old = e.getValue();
          double probability = listedProbabilities.getOrDefault(e.getKey(), defaultProbability);
          if (old.probability() == probability && old.lowerBoundTracesPerSecond() == lowerBound
              && operations.size() < MAX_OPERATIONS) {
            operations.put(e.getKey(), old);
          }
        }
      }
      return this;
    }

    String describe() {
      if (!perOperationMode) {
        return defaultSampler.description();
      }
      return "perOperation{default=" + defaultProbability + ", lowerBound=" + lowerBound
          + "/s, " + listedProbabilities.size() + " operations}";
    }
  }

  private JaegerRemoteSampler(Builder b) {
    try {
      String separator = b.endpoint.contains("?") ? "&" : "?";
      this.url = new URL(b.endpoint + separator + "service="
          + URLEncoder.encode(b.serviceName, "UTF-8").replace("+", "%20"));
    } catch (IOException e) {
      throw new IllegalArgumentException("endpoint is not a valid URL: " + b.endpoint, e);
    }
    this.pollingInterval = b.pollingInterval;
    this.strategy = new Strategy(b.initialSampler);
    if (b.startPolling) {
      this.poller = new Thread(this::pollLoop, "spanwise-jaeger-remote-sampler");
      this.poller.setDaemon(true);
      this.poller.start();
    } else {
      this.poller = null;
    }
  }

  public static Builder builder(String serviceName) {
    return new Builder(serviceName);
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    return strategy.samplerFor(name).shouldSample(parent, traceIdHigh, traceIdLow, name, kind);
  }

  @Override
  public String description() {
    return "JaegerRemoteSampler{" + url + ", " + strategy.describe() + "}";
  }

  @Override
  public String toString() {
    return description();
  }

  /**
   * The sampler now used for operations without their own strategy (in per-operation mode: for
   * operations beyond the first {@value #MAX_OPERATIONS}).
   */
  public Sampler currentDefaultSampler() {
    return strategy.defaultSampler;
  }

  /** The sampler the current strategy applies to spans named {@code operation}. */
  public Sampler currentSampler(String operation) {
    return strategy.samplerFor(operation);
  }

  private void pollLoop() {
    while (!closed) {
      pollOnce();
      try {
        Thread.sleep(pollingInterval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Fetches the strategy once; true when it was applied. */
  public boolean pollOnce() {
    try {
      HttpURLConnection connection = (HttpURLConnection) url.openConnection();
      connection.setConnectTimeout(5000);
      connection.setReadTimeout(5000);
      try {
        int status = connection.getResponseCode();
        if (status != 200) {
          LOG.log(Level.FINE, "sampling endpoint {0} answered {1}", new Object[] {url, status});
          return false;
        }
        try (InputStream in = connection.getInputStream()) {
          ByteArrayOutputStream buffer = new ByteArrayOutputStream();
          byte[] chunk = new byte[4096];
          int n;
          while ((n = in.read(chunk)) > 0) {
            buffer.write(chunk, 0, n);
          }
          strategy = parse(new String(buffer.toByteArray(), StandardCharsets.UTF_8)).carryOver(strategy);
          return true;
        }
      } finally {
        connection.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "could not fetch sampling strategy from " + url + "; keeping the current one", e);
      return false;
    }
  }

  static Strategy parse(String json) {
    Object root = MiniJson.parse(json);
    if (!(root instanceof Map)) {
      throw new IllegalArgumentException("sampling strategy is not a JSON object");
    }
    Map<?, ?> map = (Map<?, ?>) root;
    Object operationSampling = map.get("operationSampling");
    if (operationSampling instanceof Map) {
      Map<?, ?> ops = (Map<?, ?>) operationSampling;
      double defaultProbability =
          clampRatio(number(ops.get("defaultSamplingProbability"), "defaultSamplingProbability"));
      double lowerBound = Math.max(0.0,
          number(ops.get("defaultLowerBoundTracesPerSecond"), "defaultLowerBoundTracesPerSecond"));
      Map<String, Double> listed = new HashMap<>();
      Object list = ops.get("perOperationStrategies");
      if (list instanceof List) {
        for (Object o : (List<?>) list) {
          if (o instanceof Map) {
            Map<?, ?> op = (Map<?, ?>) o;
            Object name = op.get("operation");
            Object prob = op.get("probabilisticSampling");
            if (name instanceof String && prob instanceof Map) {
              listed.put((String) name,
                  clampRatio(number(((Map<?, ?>) prob).get("samplingRate"), "samplingRate")));
            }
          }
        }
      }
      return new Strategy(defaultProbability, lowerBound, Collections.unmodifiableMap(listed));
    }
    Object type = map.get("strategyType");
    boolean rateLimiting = "RATE_LIMITING".equals(type) || Double.valueOf(1).equals(type);
    if (rateLimiting) {
      Object rl = map.get("rateLimitingSampling");
      double tps = rl instanceof Map ? number(((Map<?, ?>) rl).get("maxTracesPerSecond"), "maxTracesPerSecond") : 0;
      return new Strategy(Sampler.rateLimiting(Math.max(0, tps)));
    }
    Object prob = map.get("probabilisticSampling");
    if (prob instanceof Map) {
      double rate = number(((Map<?, ?>) prob).get("samplingRate"), "samplingRate");
      return new Strategy(Sampler.traceIdRatio(clampRatio(rate)));
    }
    throw new IllegalArgumentException("sampling strategy has neither probabilistic nor rate-limiting settings");
  }

  private static double number(Object value, String field) {
    if (value instanceof Double) {
      return (Double) value;
    }
    if (value == null) {
      return 0.0;
    }
    throw new IllegalArgumentException(field + " is not a number: " + value);
  }

  private static double clampRatio(double ratio) {
    return Math.max(0.0, Math.min(1.0, ratio));
  }

  @Override
  public void close() {
    closed = true;
    if (poller != null) {
      poller.interrupt();
    }
  }

  /** Builds a {@link JaegerRemoteSampler}. */
  public static final class Builder {
    private final String serviceName;
    private String endpoint = "http://localhost:5778/sampling";
    private Duration pollingInterval = Duration.ofSeconds(60);
    private Sampler initialSampler = Sampler.traceIdRatio(0.001);
    private boolean startPolling = true;

    private Builder(String serviceName) {
      if (serviceName == null || serviceName.isEmpty()) {
        throw new IllegalArgumentException("serviceName must not be empty");
      }
      this.serviceName = serviceName;
    }

    public Builder endpoint(String endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    public Builder pollingInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("pollingInterval must be positive, was " + interval);
      }
      this.pollingInterval = interval;
      return this;
    }

    /** The sampler used until the first successful poll (default ratio 0.001). */
    public Builder initialSampler(Sampler sampler) {
      this.initialSampler = Objects.requireNonNull(sampler, "initialSampler");
      return this;
    }

    /** False to poll only through {@link #pollOnce()} (tests). */
    public Builder startPolling(boolean start) {
      this.startPolling = start;
      return this;
    }

    public JaegerRemoteSampler build() {
      return new JaegerRemoteSampler(this);
    }
  }
}
