package dev.spanwise.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.collector.OverloadedException;
import dev.spanwise.collector.pipeline.DurableSpanPipeline;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.embedded.EmbeddedSpanStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The all-in-one's durable ingest path without the network, in this JVM: OTLP protobuf bodies of
 * the ingest workload are scanned as the OTLP/HTTP receiver scans them and written to a {@link
 * DurableSpanPipeline} (write-ahead log with fsync, indexer) in front of an {@link
 * EmbeddedSpanStore}, as the server sets them up, with a fixed number of writes in flight. After a
 * warm-up it reports acknowledged and indexed spans per second, spans per CPU-second of the whole
 * process and each busy thread's share of a core.
 *
 * <p>Nothing else competes for the cores (no HTTP, no load generator in another process), and the
 * same code runs from the start, so the JIT settles within the warm-up: the figures vary far less
 * between runs than {@link IngestLoad}'s and suit comparing two builds of the storage path (put the
 * other build's server jar first on the class path).
 */
@Command(name = "pipeline-load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Writes generated traces through the durable pipeline into the embedded store,"
        + " in this JVM, and measures ingest.")
public final class PipelineLoad implements Callable<Integer> {

  @Option(names = "--batch-spans", defaultValue = "100", paramLabel = "N",
      description = "Spans per write (default: ${DEFAULT-VALUE}).")
  int batchSpans;

  @Option(names = "--concurrency", defaultValue = "32", paramLabel = "N",
      description = "Writes in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Measured period (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "60s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Unmeasured load before it (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the temporary log and index go (default: the system's temp directory);"
          + " deleted at the end.")
  Path dataDir;

  @Option(names = "--batching", defaultValue = "traces", paramLabel = "traces|instances",
      description = "How spans are cut into requests: consecutive whole traces, as a collector"
          + " grouping by trace sends them, or per service instance, as SDKs export"
          + " (default: ${DEFAULT-VALUE}).")
  String batching;

  @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pool-spans", defaultValue = "100000", paramLabel = "N",
      description = "Spans pre-encoded and reused with fresh trace ids (default: ${DEFAULT-VALUE}).")
  int poolSpans;

  @Option(names = "--flush-interval", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How often the indexer commits the store (default: the pipeline's, as in the"
          + " server).")
  Duration flushInterval;

  @Option(names = "--ram-buffer-mb", paramLabel = "MB",
      description = "Lucene's indexing buffer (default: the store's, as in the server).")
  Double ramBufferMb;

  @Option(names = "--results", paramLabel = "FILE",
      description = "Appends the result as one JSON line to this file.")
  Path results;

  @Option(names = "--threads", defaultValue = "8", paramLabel = "N",
      description = "Busiest threads to list with their CPU (default: ${DEFAULT-VALUE}).")
  int threads;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return Commands.run("pipeline-load", new PipelineLoad(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (batchSpans < 1) throw new IllegalArgumentException("--batch-spans: must be positive");
    if (concurrency < 1) throw new IllegalArgumentException("--concurrency: must be positive");
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--duration: must be positive");
    }
    if (warmup.isNegative()) throw new IllegalArgumentException("--warmup: must not be negative");
    if (flushInterval != null && (flushInterval.isZero() || flushInterval.isNegative())) {
      throw new IllegalArgumentException("--flush-interval: must be positive");
    }
    if (ramBufferMb != null && !(ramBufferMb >= 1 && ramBufferMb <= 2048)) {
      throw new IllegalArgumentException("--ram-buffer-mb: must be from 1 to 2048");
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException("--data-dir: not a directory: " + dataDir);
    }
    BatchPool.Batching batchMode = BatchPool.Batching.fromFlag(batching);
    WorkloadGenerator generator = new WorkloadGenerator(seed, IngestLoad::epochNanosNow);
    BatchPool pool = BatchPool.build(Protocol.OTLP_HTTP, batchMode, generator, batchSpans,
        Math.max(poolSpans, batchSpans * concurrency * 4), System.nanoTime());

    Path dir = dataDir == null
        ? Files.createTempDirectory("spanwise-pipeline-load")
        : Files.createTempDirectory(dataDir, "spanwise-pipeline-load");
    Map<String, Object> result;
    try {
      result = measure(pool, dir);
    } finally {
      deleteRecursively(dir);
    }
    result.put("time", Instant.now().toString());
    result.put("batch_spans", batchSpans);
    result.put("batching", batching);
    result.put("concurrency", concurrency);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    out.println(formatLine(result));
    @SuppressWarnings("unchecked")
    List<String> busiest = (List<String>) result.get("threads");
    for (String t : busiest) out.println("  " + t);
    if (results != null) {
      Path parent = results.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(results, new ObjectMapper().writeValueAsString(result) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return ((Number) result.get("spans_acked")).longValue() > 0 ? 0 : 1;
  }

  /** Opens the store and the pipeline in {@code dir}, runs the load, closes both. */
  private Map<String, Object> measure(BatchPool pool, Path dir) throws Exception {
    EmbeddedSpanStore.Options.Builder storeOptions = EmbeddedSpanStore.Options.builder();
    if (ramBufferMb != null) storeOptions.ramBufferMb(ramBufferMb);
    EmbeddedSpanStore store = EmbeddedSpanStore.open(dir.resolve("index"), storeOptions.build());
    DurableSpanPipeline.Options.Builder pipelineOptions = DurableSpanPipeline.Options.builder();
    if (flushInterval != null) pipelineOptions.flushInterval(flushInterval);
    DurableSpanPipeline pipeline;
    try {
      pipeline = DurableSpanPipeline.create(dir.resolve("wal"), store, pipelineOptions.build());
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    try (store; pipeline) {
      Writer writer = new Writer(pool, pipeline, concurrency);
      Thread driver = new Thread(writer::run, "pipeline-load-driver");
      driver.start();
      Thread.sleep(warmup.toMillis());

      Map<String, Long> threadCpuBefore = threadCpu();
      ProcessStats before = ProcessStats.readSelf();
      long indexedBefore = pipeline.indexer().indexedSpans();
      long ackedBefore = writer.acked.sum();
      long refusedBefore = writer.refused.sum();
      long start = System.nanoTime();
      Thread.sleep(duration.toMillis());
      long nanos = System.nanoTime() - start;
      long acked = writer.acked.sum() - ackedBefore;
      long refused = writer.refused.sum() - refusedBefore;
      long indexed = pipeline.indexer().indexedSpans() - indexedBefore;
      ProcessStats after = ProcessStats.readSelf();
      Map<String, Long> threadCpuAfter = threadCpu();
      long lagBytes = pipeline.indexer().lagBytes();

      writer.stop();
      driver.join(TimeUnit.MINUTES.toMillis(1));
      if (writer.failure != null) {
        throw new IllegalStateException("a write failed: " + writer.failure, writer.failure);
      }

      double seconds = nanos / 1e9;
      double cpuSeconds = (after.cpuNanos() - before.cpuNanos()) / 1e9;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("duration_s", seconds);
      r.put("spans_per_s", acked / seconds);
      r.put("indexed_spans_per_s", indexed / seconds);
      r.put("indexer_lag_mib", lagBytes / 1048576.0);
      r.put("spans_acked", acked);
      r.put("refused_writes", refused);
      r.put("cpu_pct", 100 * cpuSeconds / seconds);
      r.put("indexed_spans_per_cpu_s", indexed / cpuSeconds);
      r.put("peak_rss_mib", after.peakRssBytes() / 1048576.0);
      r.put("threads", busiestThreads(threadCpuBefore, threadCpuAfter, nanos));
      return r;
    }
  }

  /** Keeps {@code concurrency} writes in flight; a refused write is sent again 50 ms later. */
  private static final class Writer {
    private final BatchPool pool;
    private final DurableSpanPipeline pipeline;
    private final Semaphore inFlight;
    private final int concurrency;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pipeline-load-retry");
      t.setDaemon(true);
      return t;
    });
    final LongAdder acked = new LongAdder();
    final LongAdder refused = new LongAdder();
    private volatile boolean stopping;
    volatile Throwable failure;

    Writer(BatchPool pool, DurableSpanPipeline pipeline, int concurrency) {
      this.pool = pool;
      this.pipeline = pipeline;
      this.concurrency = concurrency;
      this.inFlight = new Semaphore(concurrency);
    }

    void run() {
      long index = 0;
      try {
        while (!stopping && failure == null) {
          if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
          write(pool.payload(index++));
        }
        // let what is in flight finish before the pipeline closes
        inFlight.tryAcquire(concurrency, 30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        retries.shutdownNow();
      }
    }

    /** What the OTLP/HTTP receiver does with a body: scan it, then log it as it is. */
    private void write(byte[] body) {
      OtlpTraceDecoder.Scan scan = OtlpTraceDecoder.scan(body, 0, body.length);
      if (scan.rejectedSpans() != 0) {
        failure = new IllegalStateException("the workload has a rejected span: " + scan.errorMessage());
        inFlight.release();
        return;
      }
      int spans = pool.batchSpans();
      pipeline.writeOtlp(Tenants.DEFAULT, body, spans).whenComplete((ignored, error) -> {
        if (error == null) {
          acked.add(spans);
          inFlight.release();
          return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        if (cause instanceof OverloadedException && !stopping) {
          refused.increment();
          retries.schedule(() -> write(body), 50, TimeUnit.MILLISECONDS);
          return;
        }
        if (!stopping) failure = cause;
        inFlight.release();
      });
    }

    void stop() {
      stopping = true;
    }
  }

  /** CPU nanoseconds of every thread of this process by {@code /proc} task id (JIT and GC too). */
  private static Map<String, Long> threadCpu() throws IOException {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          long cpu = ProcessStats.read(task).cpuNanos();
          out.put(task.getFileName() + " " + name, cpu);
        } catch (IllegalStateException | IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }

  /** "N% name" for the busiest threads, N the share of one core over the measured period. */
  private List<String> busiestThreads(Map<String, Long> before, Map<String, Long> after,
      long nanos) {
    List<Map.Entry<String, Long>> used = new ArrayList<>();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      if (delta > 0) used.add(Map.entry(name, delta));
    }
    used.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : used.subList(0, Math.min(threads, used.size()))) {
      out.add(String.format(Locale.ROOT, "%5.1f%% %s", 100.0 * e.getValue() / nanos, e.getKey()));
    }
    return out;
  }

  static String formatLine(Map<String, Object> r) {
    StringBuilder b = new StringBuilder("pipeline");
    for (Map.Entry<String, Object> e : r.entrySet()) {
      if (e.getValue() instanceof List) continue;
      b.append(' ').append(e.getKey()).append('=');
      Object v = e.getValue();
      b.append(v instanceof Double ? String.format(Locale.ROOT, "%.1f", (Double) v) : v);
    }
    return b.toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
