package dev.spanwise.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop ingest load: N workers each send the next pre-encoded batch as soon as the previous
 * one is answered, for a warm-up and then a measured period, and report acknowledged spans per
 * second, refusals, errors, request latency and the server process's CPU and memory.
 */
@Command(name = "ingest-load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Sends generated e-commerce traces to a tracing server and measures ingest.")
public final class IngestLoad implements Callable<Integer> {

  @Option(names = "--protocol", required = true, paramLabel = "PROTOCOL",
      description = "otlp-http, otlp-grpc, zipkin-json or jaeger-thrift-http.")
  String protocol;

  @Option(names = "--target", required = true, paramLabel = "HOST:PORT",
      description = "The receiver, e.g. 127.0.0.1:4318.")
  String target;

  @Option(names = "--batch-spans", defaultValue = "100", paramLabel = "N",
      description = "Spans per request (default: ${DEFAULT-VALUE}).")
  int batchSpans;

  @Option(names = "--concurrency", defaultValue = "8", paramLabel = "N",
      description = "Workers, each with one request in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Measured period (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Unmeasured load before it (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--server-pid", paramLabel = "PID",
      description = "Server process whose CPU time and RSS to read from /proc.")
  Long serverPid;

  @Option(names = "--label", defaultValue = "", paramLabel = "NAME",
      description = "Names the server in the output, e.g. spanwise or zipkin.")
  String label;

  @Option(names = "--results", paramLabel = "FILE",
      description = "Appends the result as one JSON line to this file.")
  Path results;

  @Option(names = "--batching", defaultValue = "traces", paramLabel = "traces|instances",
      description = "How spans are cut into requests: consecutive whole traces, as a collector"
          + " grouping by trace sends them, or per service instance, as SDKs export"
          + " (default: ${DEFAULT-VALUE}; jaeger-thrift-http is always per instance).")
  String batching;

  @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pool-spans", defaultValue = "100000", paramLabel = "N",
      description = "Spans pre-encoded and reused with fresh trace ids (default: ${DEFAULT-VALUE}).")
  int poolSpans;

  @Option(names = "--http2", description = "HTTP/2 cleartext for otlp-http and zipkin-json "
      + "(default HTTP/1.1, as exporters use; otlp-grpc is always HTTP/2).")
  boolean http2;

  @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--max-backoff", defaultValue = "2s", converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "Cap on the wait after a refusal's Retry-After (default: ${DEFAULT-VALUE}).")
  Duration maxBackoff;

  @Option(names = "--metrics-url", paramLabel = "URL",
      description = "The server's Prometheus endpoint, e.g. http://127.0.0.1:16686/metrics: reports "
          + "how many spans it indexed during the window, not only acknowledged.")
  String metricsUrl;

  @Option(names = "--indexed-counter", defaultValue = "spanwise_indexer_spans_total",
      paramLabel = "NAME", description = "Counter of spans made searchable (default: ${DEFAULT-VALUE}).")
  String indexedCounter;

  @Option(names = "--lag-gauge", defaultValue = "spanwise_indexer_lag_bytes", paramLabel = "NAME",
      description = "Gauge of the indexing backlog in bytes (default: ${DEFAULT-VALUE}).")
  String lagGauge;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return Commands.run("ingest-load", new IngestLoad(), args);
  }

  @Override
  public Integer call() throws Exception {
    Protocol proto = Protocol.fromFlag(protocol);
    HostAndPort hostAndPort = HostAndPort.parse("--target", target);
    if (batchSpans < 1) throw new IllegalArgumentException("--batch-spans: must be positive");
    if (concurrency < 1) throw new IllegalArgumentException("--concurrency: must be positive");
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--duration: must be positive");
    }
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup: must not be negative");
    if (serverPid != null && !Files.isDirectory(Path.of("/proc", serverPid.toString()))) {
      throw new IllegalArgumentException("--server-pid: no process " + serverPid);
    }

    long t0 = System.nanoTime();
    BatchPool.Batching batchMode = BatchPool.Batching.fromFlag(batching);
    WorkloadGenerator generator = new WorkloadGenerator(seed, IngestLoad::epochNanosNow);
    BatchPool pool = BatchPool.build(proto, batchMode, generator, batchSpans,
        Math.max(poolSpans, batchSpans * concurrency * 4), System.nanoTime());
    System.err.printf(Locale.ROOT, "ingest-load: %d batches of %d spans pre-encoded (%.0f bytes/span)"
        + " in %.1fs%n", pool.batches(), batchSpans, pool.bytesPerSpan(),
        (System.nanoTime() - t0) / 1e9);

    ServerMetrics metrics = metricsUrl == null ? null : ServerMetrics.of(metricsUrl, indexedCounter, lagGauge);
    Run run;
    try (IngestSender sender = new IngestSender(proto, hostAndPort, http2, timeout)) {
      run = new Run(pool, sender, concurrency, maxBackoff.toMillis(), metrics);
      run.execute(warmup, duration, serverPid, timeout.plusSeconds(5));
    } finally {
      if (metrics != null) metrics.close();
    }
    Map<String, Object> result = run.summary();
    result.put("protocol", proto.flag);
    result.put("label", label);
    result.put("target", hostAndPort.toString());
    result.put("batch_spans", batchSpans);
    result.put("batching", proto.batchesPerProcess() ? "instances" : batching);
    result.put("concurrency", concurrency);
    result.put("http", proto == Protocol.OTLP_GRPC || http2 ? "h2c" : "http/1.1");
    result.put("bytes_per_span", Math.round(pool.bytesPerSpan()));
    result.put("time", Instant.now().toString());

    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    out.println(formatLine(result));
    for (String e : run.errorSamples()) out.println("  error: " + e);
    if (results != null) {
      Path parent = results.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(results, new ObjectMapper().writeValueAsString(result) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return ((Number) result.get("spans_acked")).longValue() > 0 ? 0 : 1;
  }

  static String formatLine(Map<String, Object> r) {
    StringBuilder b = new StringBuilder("ingest");
    for (String key : new String[] {"label", "protocol", "batch_spans", "batching", "concurrency", "http",
        "duration_s", "spans_per_s", "indexed_spans_per_s", "indexer_lag_mib", "spans_acked", "requests", "refused_requests",
        "rejected_spans", "error_requests", "latency_p50_ms", "latency_p99_ms", "server_cpu_pct",
        "server_rss_mib", "server_peak_rss_mib", "client_cpu_pct"}) {
      Object v = r.get(key);
      if (v == null || "".equals(v)) continue;
      b.append(' ').append(key).append('=');
      b.append(v instanceof Double ? String.format(Locale.ROOT, "%.1f", (Double) v) : v);
    }
    return b.toString();
  }

  static long epochNanosNow() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** One measured run: the workers, the counters, the /proc snapshots. */
  static final class Run {
    private final BatchPool pool;
    private final IngestSender sender;
    private final int concurrency;
    private final long maxBackoffMillis;
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "ingest-load-worker");
      t.setDaemon(true);
      return t;
    });
    private final AtomicLong sendIndex = new AtomicLong();
    private final AtomicBoolean recording = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final LongAdder requests = new LongAdder();
    private final LongAdder acceptedSpans = new LongAdder();
    private final LongAdder rejectedSpans = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Latencies latencies = new Latencies();
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    private CountDownLatch finished;
    private long measuredNanos;
    private ProcessStats serverBefore;
    private ProcessStats serverAfter;
    private ProcessStats selfBefore;
    private ProcessStats selfAfter;

    private final ServerMetrics metrics;
    private double indexedBefore = Double.NaN;
    private double indexedAfter = Double.NaN;
    private double lagAfter = Double.NaN;

    Run(BatchPool pool, IngestSender sender, int concurrency, long maxBackoffMillis,
        ServerMetrics metrics) {
      this.metrics = metrics;
      this.pool = pool;
      this.sender = sender;
      this.concurrency = concurrency;
      this.maxBackoffMillis = maxBackoffMillis;
    }

    void execute(Duration warmup, Duration duration, Long serverPid, Duration drainTimeout)
        throws InterruptedException {
      finished = new CountDownLatch(concurrency);
      for (int i = 0; i < concurrency; i++) executor.execute(this::sendNext);
      Thread.sleep(warmup.toMillis());
      selfBefore = ProcessStats.readSelf();
      serverBefore = serverPid == null ? null : readServer(serverPid);
      if (metrics != null) indexedBefore = metrics.indexed();
      long start = System.nanoTime();
      recording.set(true);
      Thread.sleep(duration.toMillis());
      recording.set(false);
      measuredNanos = System.nanoTime() - start;
      if (metrics != null) {
        indexedAfter = metrics.indexed();
        lagAfter = metrics.lagBytes();
      }
      serverAfter = serverPid == null || serverBefore == null ? null : readServer(serverPid);
      selfAfter = ProcessStats.readSelf();
      stopping.set(true);
      if (!finished.await(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("ingest-load: requests still in flight after " + drainTimeout);
      }
      executor.shutdownNow();
    }

    /** The server's figures, or null (and a message) if the process has gone. */
    private static ProcessStats readServer(long pid) {
      try {
        return ProcessStats.read(pid);
      } catch (IllegalStateException e) {
        System.err.println("ingest-load: server process " + pid + " has gone: " + e.getMessage());
        return null;
      }
    }

    private void sendNext() {
      if (stopping.get()) {
        finished.countDown();
        return;
      }
      long index = sendIndex.getAndIncrement();
      byte[] body = pool.payload(index);
      long begin = System.nanoTime();
      sender.send(body, pool.batchSpans()).whenCompleteAsync((result, failure) -> {
        long latency = System.nanoTime() - begin;
        if (failure != null) {
          result = new IngestSender.Result(IngestSender.Outcome.ERROR, 0, 0,
              IngestSender.DEFAULT_BACKOFF_MILLIS, String.valueOf(failure));
        }
        if (recording.get()) record(result, latency);
        long wait = result.outcome() == IngestSender.Outcome.ACCEPTED ? 0
            : Math.min(result.retryAfterMillis(), maxBackoffMillis);
        if (wait == 0) {
          sendNext();
        } else {
          executor.schedule(this::sendNext, wait, TimeUnit.MILLISECONDS);
        }
      }, executor);
    }

    private void record(IngestSender.Result result, long latencyNanos) {
      requests.increment();
      switch (result.outcome()) {
        case ACCEPTED:
          acceptedSpans.add(result.acceptedSpans());
          rejectedSpans.add(result.rejectedSpans());
          latencies.record(latencyNanos);
          break;
        case REFUSED:
          refused.increment();
          break;
        default:
          errors.increment();
          errorKinds.computeIfAbsent(result.detail(), k -> new LongAdder()).increment();
          break;
      }
    }

    Map<String, Object> summary() {
      double seconds = measuredNanos / 1e9;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("duration_s", round1(seconds));
      r.put("spans_per_s", round1(acceptedSpans.sum() / seconds));
      if (metrics != null) {
        r.put("indexed_spans_per_s", round1((indexedAfter - indexedBefore) / seconds));
        r.put("indexer_lag_mib", round1(lagAfter / 1048576.0));
      }
      r.put("spans_acked", acceptedSpans.sum());
      r.put("requests", requests.sum());
      r.put("refused_requests", refused.sum());
      r.put("rejected_spans", rejectedSpans.sum());
      r.put("error_requests", errors.sum());
      r.put("latency_p50_ms", round1(latencies.percentileMillis(50)));
      r.put("latency_p99_ms", round1(latencies.percentileMillis(99)));
      if (serverBefore != null && serverAfter != null) {
        r.put("server_cpu_pct",
            round1(100.0 * (serverAfter.cpuNanos() - serverBefore.cpuNanos()) / measuredNanos));
        r.put("server_rss_mib", round1(serverAfter.rssBytes() / 1048576.0));
        r.put("server_peak_rss_mib", round1(serverAfter.peakRssBytes() / 1048576.0));
      }
      r.put("client_cpu_pct",
          round1(100.0 * (selfAfter.cpuNanos() - selfBefore.cpuNanos()) / measuredNanos));
      return r;
    }

    Iterable<String> errorSamples() {
      java.util.List<String> out = new java.util.ArrayList<>();
      errorKinds.forEach((k, v) -> out.add(v.sum() + "x " + k));
      return out.subList(0, Math.min(5, out.size()));
    }

    private static double round1(double v) {
      return Double.isNaN(v) ? Double.NaN : Math.round(v * 10) / 10.0;
    }
  }
}
