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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Polls a Jaeger-compatible sampling endpoint ({@code GET endpoint?service=NAME}) on a daemon
 * thread and samples as it says: {@code probabilistic}, {@code rate-limiting}, or per-operation
 * probabilities with a default. Until the first successful poll, and whenever the endpoint cannot
 * be reached or answers garbage, the last good (initially the configured default) strategy stays.
 */
public final class JaegerRemoteSampler implements Sampler, Closeable {
  private static final Logger LOG = Logger.getLogger(JaegerRemoteSampler.class.getName());

  private final URL url;
  private final Duration pollingInterval;
  private final Thread poller;
  private volatile Strategy strategy;
  private volatile boolean closed;

  private static final class Strategy {
    final Sampler defaultSampler;
    final Map<String, Sampler> perOperation;

    Strategy(Sampler defaultSampler, Map<String, Sampler> perOperation) {
      this.defaultSampler = defaultSampler;
      this.perOperation = perOperation;
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
    this.strategy = new Strategy(b.initialSampler, Collections.emptyMap());
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
    Strategy s = strategy;
    Sampler sampler = s.perOperation.isEmpty() ? s.defaultSampler
        : s.perOperation.getOrDefault(name, s.defaultSampler);
    return sampler.shouldSample(parent, traceIdHigh, traceIdLow, name, kind);
  }

  @Override
  public String description() {
    return "JaegerRemoteSampler{" + url + ", " + strategy.defaultSampler.description()
        + (strategy.perOperation.isEmpty() ? "" : ", " + strategy.perOperation.size() + " operations")
        + "}";
  }

  @Override
  public String toString() {
    return description();
  }

  /** The sampler now used for operations without their own strategy. */
  public Sampler currentDefaultSampler() {
    return strategy.defaultSampler;
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
          strategy = parse(new String(buffer.toByteArray(), StandardCharsets.UTF_8));
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
      Sampler defaultSampler = Sampler.traceIdRatio(
          clampRatio(number(ops.get("defaultSamplingProbability"), "defaultSamplingProbability")));
      Map<String, Sampler> perOperation = new HashMap<>();
      Object list = ops.get("perOperationStrategies");
      if (list instanceof List) {
        for (Object o : (List<?>) list) {
          if (o instanceof Map) {
            Map<?, ?> op = (Map<?, ?>) o;
            Object name = op.get("operation");
            Object prob = op.get("probabilisticSampling");
            if (name instanceof String && prob instanceof Map) {
              perOperation.put((String) name, Sampler.traceIdRatio(
                  clampRatio(number(((Map<?, ?>) prob).get("samplingRate"), "samplingRate"))));
            }
          }
        }
      }
      return new Strategy(defaultSampler, Collections.unmodifiableMap(perOperation));
    }
    Object type = map.get("strategyType");
    boolean rateLimiting = "RATE_LIMITING".equals(type) || Double.valueOf(1).equals(type);
    if (rateLimiting) {
      Object rl = map.get("rateLimitingSampling");
      double tps = rl instanceof Map ? number(((Map<?, ?>) rl).get("maxTracesPerSecond"), "maxTracesPerSecond") : 0;
      return new Strategy(Sampler.rateLimiting(Math.max(0, tps)), Collections.emptyMap());
    }
    Object prob = map.get("probabilisticSampling");
    if (prob instanceof Map) {
      double rate = number(((Map<?, ?>) prob).get("samplingRate"), "samplingRate");
      return new Strategy(Sampler.traceIdRatio(clampRatio(rate)), Collections.emptyMap());
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
