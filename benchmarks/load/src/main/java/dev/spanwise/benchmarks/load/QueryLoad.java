package dev.spanwise.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Query benchmark: loads generated spans, waits until they are searchable, then measures p50/p99
 * of trace by id, a service + attribute + minimum-duration search over the last 15 minutes,
 * services, operations and dependencies, and reports disk bytes per span.
 */
@Command(name = "query-load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Loads traces into a tracing server, then measures its query latency.")
public final class QueryLoad implements Callable<Integer> {

  /** Searches that match the workload: a service, one of its spans' attributes, a floor. */
  static final List<String[]> SEARCHES = List.of(
      new String[] {"order", "http.request.method", "POST", "100ms"},
      new String[] {"catalog", "db.system", "postgresql", "20ms"},
      new String[] {"payment", "rpc.method", "Charge", "20ms"},
      new String[] {"frontend", "http.route", "/checkout", "200ms"},
      new String[] {"inventory", "db.system", "mysql", "10ms"},
      new String[] {"auth", "db.system", "redis", "5ms"});

  @Option(names = "--ingest", required = true, paramLabel = "HOST:PORT",
      description = "Where to send spans (OTLP/HTTP, or Zipkin with --ingest-protocol zipkin-json).")
  String ingest;

  @Option(names = "--ingest-protocol", defaultValue = "otlp-http", paramLabel = "PROTOCOL",
      description = "otlp-http or zipkin-json (default: ${DEFAULT-VALUE}).")
  String ingestProtocol;

  @Option(names = "--query", required = true, paramLabel = "HOST:PORT",
      description = "The query API.")
  String query;

  @Option(names = "--api", defaultValue = "jaeger", paramLabel = "API",
      description = "jaeger (/api/traces, Spanwise's query port) or zipkin (/api/v2) "
          + "(default: ${DEFAULT-VALUE}).")
  String api;

  @Option(names = "--load-spans", defaultValue = "1000000", paramLabel = "N",
      description = "Spans to load first (default: ${DEFAULT-VALUE}).")
  long loadSpans;

  @Option(names = "--batch-spans", defaultValue = "1000", paramLabel = "N",
      description = "Spans per load request (default: ${DEFAULT-VALUE}).")
  int batchSpans;

  @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N",
      description = "Load requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--iterations", defaultValue = "1000", paramLabel = "N",
      description = "Measured calls per query kind, after --warmup-calls unmeasured "
          + "(default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--warmup-calls", defaultValue = "1000", paramLabel = "N",
      description = "Unmeasured calls of each query kind first, so the server's and this client's "
          + "JIT compilers are done with that path (default: ${DEFAULT-VALUE}).")
  int warmupCalls;

  @Option(names = "--warmup-time", defaultValue = "60s", converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "The unmeasured calls of each query kind last at least this long (default: "
          + "${DEFAULT-VALUE}): on two cores the server's JIT compiler takes half a core for "
          + "about the first 40 s of a query kind, and every call it delays lands in the tail. "
          + "The measured calls are those of a server that has been answering for a while.")
  Duration warmupTime;

  @Option(names = "--ready-timeout", defaultValue = "30m", converter = DurationConverter.class,
      paramLabel = "DURATION",
      description = "How long loaded traces may take to become searchable (default: ${DEFAULT-VALUE}).")
  Duration readyTimeout;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The server's data directory, to report bytes on disk per span.")
  Path dataDir;

  @Option(names = "--settle",
      description = "Before measuring, wait (at most 2 minutes) until --data-dir stops changing: "
          + "the store's merges after the load are done, so queries do not share the CPU with "
          + "them.")
  boolean settle;

  @Option(names = "--calls-out", paramLabel = "DIR",
      description = "Writes every measured call to DIR/<query>.csv: its start (epoch "
          + "microseconds), the client's and the server's latency (microseconds; -1 when the "
          + "server sends no Server-Timing), so a tail can be laid next to GC and other logs.")
  Path callsOut;

  @Option(names = "--server-pid", paramLabel = "PID", description = "Server process, for RSS.")
  Long serverPid;

  @Option(names = "--label", defaultValue = "", paramLabel = "NAME")
  String label;

  @Option(names = "--results", paramLabel = "FILE", description = "Appends one JSON line.")
  Path results;

  @Option(names = "--seed", defaultValue = "4242")
  long seed;

  @Option(names = "--max-backoff", defaultValue = "5s", converter = DurationConverter.class,
      paramLabel = "DURATION", description = "Cap on a Retry-After wait (default: ${DEFAULT-VALUE}).")
  Duration maxBackoff;

  private final ObjectMapper mapper = new ObjectMapper();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return Commands.run("query-load", new QueryLoad(), args);
  }

  @Override
  public Integer call() throws Exception {
    HostAndPort ingestTarget = HostAndPort.parse("--ingest", ingest);
    HostAndPort queryTarget = HostAndPort.parse("--query", query);
    Protocol protocol = Protocol.fromFlag(ingestProtocol);
    if (protocol == Protocol.OTLP_GRPC) {
      throw new IllegalArgumentException("--ingest-protocol: otlp-http or zipkin-json");
    }
    QueryApi queryApi = QueryApi.fromFlag(api);
    if (loadSpans < 1) throw new IllegalArgumentException("--load-spans: must be positive");
    if (batchSpans < 1) throw new IllegalArgumentException("--batch-spans: must be positive");
    if (concurrency < 1) throw new IllegalArgumentException("--concurrency: must be positive");
    if (warmupCalls < 0) throw new IllegalArgumentException("--warmup-calls: must not be negative");
    if (warmupTime.isNegative()) {
      throw new IllegalArgumentException("--warmup-time: must not be negative");
    }
    if (iterations < 1) throw new IllegalArgumentException("--iterations: must be positive");
    if (callsOut != null) {
      try {
        Files.createDirectories(callsOut);
      } catch (IOException e) {
        throw new IllegalArgumentException("--calls-out: cannot create " + callsOut + ": " + e);
      }
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException("--data-dir: not a directory: " + dataDir);
    }

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("label", label);
    out.put("api", queryApi.flag);

    // 1. Load.
    Loader.Result loaded;
    try (IngestSender sender = new IngestSender(protocol, ingestTarget, false, Duration.ofMinutes(1))) {
      WorkloadGenerator generator = new WorkloadGenerator(seed, IngestLoad::epochNanosNow);
      long step = Math.max(loadSpans / 10, 1);
      long[] nextReport = {step};
      long t0 = System.nanoTime();
      loaded = new Loader(sender, protocol, generator, batchSpans, concurrency, maxBackoff.toMillis())
          .load(loadSpans, acked -> {
            synchronized (nextReport) {
              if (acked >= nextReport[0]) {
                System.err.printf(Locale.ROOT, "query-load: %,d spans loaded (%.0f spans/s)%n",
                    acked, acked / ((System.nanoTime() - t0) / 1e9));
                nextReport[0] += step;
              }
            }
          });
    }
    out.put("spans_loaded", loaded.spansAcked());
    out.put("spans_failed", loaded.spansFailed());
    out.put("traces_loaded", loaded.traceCount());
    out.put("load_seconds", round1(loaded.seconds()));
    out.put("load_spans_per_s", Math.round(loaded.spansAcked() / loaded.seconds()));
    out.put("load_refusals", loaded.refusals());
    out.put("load_errors", loaded.errors());
    System.err.printf(Locale.ROOT, "query-load: loaded %,d spans in %,d traces in %.1fs"
            + " (%d refusals, %d errors)%n", loaded.spansAcked(), loaded.traceCount(),
        loaded.seconds(), loaded.refusals(), loaded.errors());

    // Searches cover the last 15 minutes of loaded data, however long indexing takes after it.
    long windowEndMillis = System.currentTimeMillis() + 60_000;
    out.put("window_end", Instant.ofEpochMilli(windowEndMillis).toString());
    if (loaded.spansAcked() == 0) {
      System.err.println("query-load: the server acknowledged no span; nothing to query");
      return 1;
    }

    // One event loop of our own: every call and its answer are handled on that one thread
    // (CallSequence). It is shut down without Netty's 2 s quiet period, since nothing is
    // submitted to it once the factory is closed.
    EventLoopGroup loop = EventLoopGroups.newEventLoopGroup(1);
    ClientFactory factory = ClientFactory.builder().workerGroup(loop, false).build();
    try {
      WebClient client = WebClient.builder("h1c://" + queryTarget)
          .factory(factory)
          .responseTimeout(Duration.ofMinutes(1))
          .maxResponseLength(256L * 1024 * 1024)
          .build();

      // 2. Wait until the last traces are searchable by id (indexing keeps append order).
      long waitStart = System.nanoTime();
      SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
      int n = loaded.traceCount();
      List<TraceId> probes = new ArrayList<>();
      probes.add(loaded.traceId(n - 1));
      int recent = Math.max(1, n / 100);
      for (int i = 0; i < 19; i++) probes.add(loaded.traceId(n - 1 - random.nextInt(recent)));
      long deadline = System.nanoTime() + readyTimeout.toNanos();
      for (TraceId probe : probes) {
        while (!found(client, queryApi, probe)) {
          if (System.nanoTime() > deadline) {
            System.err.println("query-load: trace " + probe.toHex() + " not searchable after "
                + readyTimeout);
            return 1;
          }
          Thread.sleep(200);
        }
      }
      double searchableAfter = (System.nanoTime() - waitStart) / 1e9;
      out.put("searchable_after_s", round1(searchableAfter));
      System.err.printf(Locale.ROOT, "query-load: searchable %.1fs after the last acknowledgement%n",
          searchableAfter);

      if (settle && dataDir != null) {
        long settleStart = System.nanoTime();
        settledBytes(dataDir, directoryBytes(dataDir));
        double settledAfter = (System.nanoTime() - settleStart) / 1e9;
        out.put("settled_after_s", round1(settledAfter));
        System.err.printf(Locale.ROOT, "query-load: store settled after %.1fs more%n", settledAfter);
      }

      // 3. Measure.
      Map<String, Map<String, Object>> queries = new LinkedHashMap<>();
      queries.put("trace_by_id", measure("trace_by_id", client, queryApi,
          () -> queryApi.traceById(loaded.traceId(random.nextInt(n))), true));
      int[] s = {0};
      queries.put("search", measure("search", client, queryApi, () -> {
        String[] q = SEARCHES.get(s[0]++ % SEARCHES.size());
        return queryApi.search(q[0], q[1], q[2], DurationConverter.parse(q[3]), windowEndMillis,
            Duration.ofMinutes(15), 20);
      }, false));
      queries.put("services", measure("services", client, queryApi, queryApi::services, true));
      int[] o = {0};
      queries.put("operations", measure("operations", client, queryApi,
          () -> queryApi.operations(ShopTopology.SERVICES.get(o[0]++ % ShopTopology.SERVICES.size())),
          true));
      queries.put("dependencies", measure("dependencies", client, queryApi,
          () -> queryApi.dependencies(windowEndMillis, Duration.ofMinutes(15)), false));
      out.put("queries", queries);
    } finally {
      factory.close();
      loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // 4. Footprint.
    if (dataDir != null) {
      // Background merges keep old and new segments side by side for a while: the directory is
      // sampled until it stops changing, and that settled size is the one reported.
      long first = directoryBytes(dataDir);
      long bytes = settledBytes(dataDir, first);
      long spans = Math.max(1, loaded.spansAcked());
      out.put("disk_bytes", bytes);
      out.put("disk_bytes_per_span", round1((double) bytes / spans));
      out.put("disk_bytes_per_span_first_sample", round1((double) first / spans));
    }
    if (serverPid != null) {
      ProcessStats stats = ProcessStats.read(serverPid);
      out.put("server_rss_mib", round1(stats.rssBytes() / 1048576.0));
      out.put("server_peak_rss_mib", round1(stats.peakRssBytes() / 1048576.0));
    }
    out.put("time", Instant.now().toString());

    System.out.print(render(out));
    if (results != null) {
      Path parent = results.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(results, mapper.writeValueAsString(out) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return 0;
  }

  private boolean found(WebClient client, QueryApi queryApi, TraceId id) {
    try {
      AggregatedHttpResponse r = client.get(queryApi.traceById(id)).aggregate().join();
      return r.status().code() == 200 && queryApi.count(r.content().array()) > 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Calls the query {@code iterations} times in a row and summarises latency and answers. */
  private Map<String, Object> measure(String name, WebClient client, QueryApi queryApi,
      Supplier<String> path, boolean expectItems) throws IOException {
    long warmupEnd = System.nanoTime() + warmupTime.toNanos();
    // The warm-up's answers go through a tally of their own, thrown away, so the client has
    // compiled the code that reads answers (the JSON count) before the measured calls: it used to
    // compile it during the first of them, on a core the server needs. A failure counts only in
    // the measured calls.
    new CallSequence(client, path, callsOut != null,
        i -> i < warmupCalls || System.nanoTime() - warmupEnd < 0, new Tally(queryApi, 0))
        .run();
    Tally tally = new Tally(queryApi, iterations);
    new CallSequence(client, path, callsOut != null, i -> i < iterations, tally).run();
    if (callsOut != null) tally.writeCalls(callsOut.resolve(name + ".csv"));
    if (expectItems && tally.empty > 0) {
      System.err.println("query-load: " + tally.empty + " empty answers from " + path.get());
    }
    return tally.summary();
  }

  /** What a call hands on: its path, start, latency, and answer or failure. */
  interface CallResult {
    void accept(String path, long beginEpochMicros, long latencyNanos, AggregatedHttpResponse r,
        Throwable failure) throws IOException;
  }

  /**
   * Calls one at a time while {@code more} accepts the call's index, each started by the
   * completion of the one before on the client's only event loop, which also reads the answers:
   * the measuring side adds no thread hand-off to a call, only its event loop's wake-up when the
   * answer arrives. (Started and joined on a caller thread, a call took three wake-ups in this
   * client, and on two cores shared with the server each one is a chance to wait for a core.)
   */
  static final class CallSequence {
    private final WebClient client;
    private final Supplier<String> path;
    private final boolean stamp;
    private final IntPredicate more;
    private final CallResult result;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int index;

    CallSequence(WebClient client, Supplier<String> path, boolean stamp, IntPredicate more,
        CallResult result) {
      this.client = client;
      this.path = path;
      this.stamp = stamp;
      this.more = more;
      this.result = result;
    }

    /** Runs the calls on the client's event loop and returns when they are done. */
    void run() throws IOException {
      client.options().factory().eventLoopGroup().next().execute(this::next);
      try {
        done.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof IOException) throw (IOException) e.getCause();
        if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
        throw e;
      }
    }

    private void next() {
      try {
        if (!more.test(index)) {
          done.complete(null);
          return;
        }
        String p = path.get();
        long beginEpochMicros = stamp ? epochMicrosNow() : 0;
        long begin = System.nanoTime();
        client.get(p).aggregate().handle((r, e) -> {
          long latency = System.nanoTime() - begin;
          try {
            result.accept(p, beginEpochMicros, latency, r, e);
            index++;
            next();
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
          return null;
        });
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }
  }

  /** The measured calls of one query kind: latencies, answers, failures, and each call. */
  static final class Tally implements CallResult {
    private final QueryApi queryApi;
    private final Latencies latencies = new Latencies();
    private final Latencies serverLatencies = new Latencies(); // Spanwise's Server-Timing
    private final long[] calls; // start, client, server per measured call
    private int recorded;
    long errors;
    long empty;
    long items;
    String firstError;

    Tally(QueryApi queryApi, int capacity) {
      this.queryApi = queryApi;
      this.calls = new long[capacity * 3];
    }

    @Override
    public void accept(String path, long beginEpochMicros, long latencyNanos,
        AggregatedHttpResponse r, Throwable failure) throws IOException {
      if (failure != null || r.status().code() != 200) {
        errors++;
        if (firstError == null) {
          firstError = path + ": " + (failure != null ? failure.toString()
              : "HTTP " + r.status().code() + " " + r.contentUtf8());
        }
        return;
      }
      latencies.record(latencyNanos);
      long server = serverTimingNanos(r.headers().get("server-timing"));
      if (server >= 0) serverLatencies.record(server);
      if (recorded * 3 < calls.length) {
        calls[recorded * 3] = beginEpochMicros;
        calls[recorded * 3 + 1] = latencyNanos / 1000;
        calls[recorded * 3 + 2] = server < 0 ? -1 : server / 1000;
        recorded++;
      }
      int count = queryApi.count(r.content().array());
      items += count;
      if (count == 0) empty++;
    }

    Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n", latencies.count());
      m.put("p50_ms", round1(latencies.percentileMillis(50)));
      m.put("p99_ms", round1(latencies.percentileMillis(99)));
      if (serverLatencies.count() > 0) {
        m.put("server_p50_ms", round1(serverLatencies.percentileMillis(50)));
        m.put("server_p99_ms", round1(serverLatencies.percentileMillis(99)));
      }
      m.put("errors", errors);
      m.put("empty", empty);
      m.put("mean_items", latencies.count() == 0 ? 0 : round1((double) items / latencies.count()));
      if (firstError != null) {
        m.put("first_error", firstError.length() > 300 ? firstError.substring(0, 300) : firstError);
      }
      return m;
    }

    /** One line per measured call: start (epoch microseconds), client and server microseconds. */
    void writeCalls(Path file) throws IOException {
      StringBuilder b = new StringBuilder("start_epoch_us,client_us,server_us\n");
      for (int i = 0; i < recorded; i++) {
        b.append(calls[i * 3]).append(',').append(calls[i * 3 + 1]).append(',')
            .append(calls[i * 3 + 2]).append('\n');
      }
      Files.writeString(file, b, StandardCharsets.UTF_8);
    }
  }

  private static long epochMicrosNow() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private static final java.util.regex.Pattern APP_DURATION =
      java.util.regex.Pattern.compile("(?:^|,)\\s*app;dur=([0-9.]+)");

  /** The {@code app} duration of a W3C Server-Timing header in nanoseconds, or -1. */
  static long serverTimingNanos(String header) {
    if (header == null) return -1;
    java.util.regex.Matcher m = APP_DURATION.matcher(header);
    return m.find() ? Math.round(Double.parseDouble(m.group(1)) * 1e6) : -1;
  }

  /** Samples the directory every 5 s until two samples agree (at most 2 minutes); the last one. */
  static long settledBytes(Path dir, long first) throws IOException, InterruptedException {
    long previous = first;
    for (int i = 0; i < 24; i++) {
      Thread.sleep(5_000);
      long now = directoryBytes(dir);
      if (now == previous) return now;
      previous = now;
    }
    return previous;
  }

  static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0; // deleted while walking (compaction)
        }
      }).sum();
    }
  }

  @SuppressWarnings("unchecked")
  static String render(Map<String, Object> r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%nQuery benchmark%s: %,d spans in %,d traces loaded in %.0fs "
            + "(%,d spans/s, %d refusals), searchable %.1fs later",
        "".equals(r.get("label")) ? "" : " (" + r.get("label") + ")",
        ((Number) r.get("spans_loaded")).longValue(), ((Number) r.get("traces_loaded")).longValue(),
        ((Number) r.get("load_seconds")).doubleValue(), ((Number) r.get("load_spans_per_s")).longValue(),
        ((Number) r.get("load_refusals")).longValue(), ((Number) r.get("searchable_after_s")).doubleValue()));
    if (r.containsKey("disk_bytes_per_span")) {
      b.append(String.format(Locale.ROOT, "; %.0f bytes on disk per span once merges settled "
          + "(%.0f right after the queries)", r.get("disk_bytes_per_span"),
          r.get("disk_bytes_per_span_first_sample")));
    }
    if (r.containsKey("server_rss_mib")) {
      b.append(String.format(Locale.ROOT, "; server RSS %.0f MiB", r.get("server_rss_mib")));
    }
    b.append(".\n\n| query | calls | p50 ms | p99 ms | server p50 / p99 ms | errors "
        + "| empty answers | mean items |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<String, Map<String, Object>> queries = (Map<String, Map<String, Object>>) r.get("queries");
    queries.forEach((name, m) -> b.append(String.format(Locale.ROOT,
        "| %s | %s | %.1f | %.1f | %s | %s | %s | %s |%n", name, m.get("n"), m.get("p50_ms"),
        m.get("p99_ms"), m.containsKey("server_p50_ms")
            ? String.format(Locale.ROOT, "%.1f / %.1f", m.get("server_p50_ms"),
                m.get("server_p99_ms"))
            : "",
        m.get("errors"), m.get("empty"), m.get("mean_items"))));
    queries.forEach((name, m) -> {
      if (m.containsKey("first_error")) b.append("first ").append(name).append(" error: ")
          .append(m.get("first_error")).append('\n');
    });
    return b.toString();
  }

  private static double round1(double v) {
    return Double.isNaN(v) ? Double.NaN : Math.round(v * 10) / 10.0;
  }
}
