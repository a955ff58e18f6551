package dev.spanwise.storage.embedded;

import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Storage benchmark, run by hand (see the README): ingests N generated spans of a realistic
 * workload with one writer thread, then reports spans/s, bytes per span on disk, latency of trace
 * by id and of a search (service + attribute + min duration over a 15-minute window), and the
 * rollups.
 *
 * <p>Arguments: {@code spans} (default 2,000,000), {@code directory} (default a temporary one,
 * deleted at the end), {@code hours} of simulated time the data covers (default 2), and {@code
 * query} to only query a directory a previous run with the same arguments filled.
 */
public final class StorageBenchmark {
  private static final long MINUTE = 60_000_000_000L;

  public static void main(String[] args) throws IOException {
    long spans = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 2_000_000L;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("spanwise-bench");
    boolean temporary = args.length <= 1;
    double hours = args.length > 2 ? Double.parseDouble(args[2]) : 2;
    // "query": the directory already holds this workload (same spans and hours); only query it
    boolean queryOnly = args.length > 3 && args[3].equals("query");
    long start = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
    long interval = (long) (hours * 3600e9 / spans);
    WorkloadGenerator generator = new WorkloadGenerator(42, start, interval);

    System.out.printf("storage benchmark: %,d spans over %.1f h of simulated time in %s%n",
        spans, hours, dir);
    long written = 0;
    long ingestNanos = 0;
    long ingestCpuNanos = 0;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean process =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    // The store's CPU: this thread's inside accept() plus every other thread's (Lucene's writer
    // thread, merges, GC) over the ingest; the generator's work on this thread is left out.
    long processCpu0 = process.getProcessCpuTime();
    long threadCpu0 = threads.getCurrentThreadCpuTime();
    // -Drefresh=5s etc. to try other refresh intervals while ingesting
    EmbeddedSpanStore store = EmbeddedSpanStore.open(dir, EmbeddedSpanStore.Options.builder()
        .refreshInterval(java.time.Duration.parse("PT" + System.getProperty("refresh", "1s")))
        .build());
    try {
      long nextReport = 500_000;
      while (written < spans) {
        List<Span> batch = generator.nextBatch(1000);
        if (queryOnly) {
          written += batch.size();
          continue;
        }
        long t0 = System.nanoTime();
        long c0 = threads.getCurrentThreadCpuTime();
        store.spanConsumer().accept(Tenants.DEFAULT, batch);
        ingestCpuNanos += threads.getCurrentThreadCpuTime() - c0;
        ingestNanos += System.nanoTime() - t0;
        written += batch.size();
        if (written >= nextReport) {
          System.out.printf("  %,d spans, %,.0f spans/s so far%n", written,
              written / (ingestNanos / 1e9));
          nextReport += 500_000;
        }
      }
      List<Span> rest = generator.drain();
      if (queryOnly) rest = List.of();
      long t0 = System.nanoTime();
      long c0 = threads.getCurrentThreadCpuTime();
      store.spanConsumer().accept(Tenants.DEFAULT, rest);
      store.flush();
      ingestCpuNanos += threads.getCurrentThreadCpuTime() - c0;
      ingestNanos += System.nanoTime() - t0;
      written += rest.size();
    } finally {
      store.close();
    }
    long otherThreadsCpu = (process.getProcessCpuTime() - processCpu0)
        - (threads.getCurrentThreadCpuTime() - threadCpu0);
    long storeCpu = ingestCpuNanos + otherThreadsCpu;
    System.out.printf("ingest: %,d spans in %.1f s = %,.0f spans/s (one writer thread,"
        + " including final commit); CPU %.1f s (writer %.1f s, other threads: Lucene's writer"
        + " thread, merges, GC %.1f s) = %,.0f spans per CPU second%n",
        written, ingestNanos / 1e9, written / (ingestNanos / 1e9), storeCpu / 1e9,
        ingestCpuNanos / 1e9, otherThreadsCpu / 1e9, written / (storeCpu / 1e9));

    // Reopen: readers start cold (JVM-wise; the OS page cache may hold the files).
    store = EmbeddedSpanStore.open(dir);
    try {
      long bytes = store.diskBytes();
      System.out.printf("disk: %,d bytes = %.1f bytes/span%n", bytes, (double) bytes / written);

      SplittableRandom random = new SplittableRandom(7);
      List<TraceId> ids = generator.sampleTraceIds();
      int lookups = Math.min(2000, ids.size());
      long[] byId = new long[lookups];
      long[] byIdCpu = new long[lookups];
      long spansRead = 0;
      for (int i = 0; i < lookups; i++) {
        TraceId id = ids.get(random.nextInt(ids.size()));
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        spansRead += store.traceReader().getTrace(Tenants.DEFAULT, id).size();
        byId[i] = System.nanoTime() - t0;
        byIdCpu[i] = threads.getCurrentThreadCpuTime() - c0;
      }
      System.out.printf("trace by id (%d lookups, %.1f spans each): p50 %.2f ms, p99 %.2f ms,"
          + " first %.2f ms; CPU time p50 %.2f ms, p99 %.2f ms%n", lookups,
          (double) spansRead / lookups, pct(byId, 50), pct(byId, 99), byId[0] / 1e6,
          pct(byIdCpu, 50), pct(byIdCpu, 99));

      String[][] filters = {
        {"http.request.method", "POST"}, {"http.response.status_code", "200"},
        {"deployment.environment", "production"}, {"db.system", "redis"},
        {"user_agent.original", "okhttp/4.12"}
      };
      long dataEnd = generator.clockNanos();
      long span = Math.max(MINUTE * 15, dataEnd - start - MINUTE * 15);
      int searches = 300;
      long[] search = new long[searches];
      long[] searchCpu = new long[searches];
      long slowestCpu = 0;
      String slowest = "";
      long found = 0;
      for (int i = 0; i < searches; i++) {
        String service = WorkloadGenerator.SERVICES[random.nextInt(
            WorkloadGenerator.SERVICES.length)];
        String[] f = filters[random.nextInt(filters.length)];
        long windowStart = start + (long) (random.nextDouble() * span);
        TraceQuery q = TraceQuery.builder()
            .serviceName(service)
            .addAttributeFilter(AttributeFilter.equalTo(f[0], f[1]))
            .minDurationNanos(50_000_000L)
            .startEpochNanos(windowStart)
            .endEpochNanos(windowStart + 15 * MINUTE)
            .limit(20)
            .build();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        List<TraceSummary> result = store.traceSearch().search(q);
        search[i] = System.nanoTime() - t0;
        searchCpu[i] = threads.getCurrentThreadCpuTime() - c0;
        if (searchCpu[i] > slowestCpu) {
          slowestCpu = searchCpu[i];
          slowest = service + " " + f[0] + "=" + f[1] + " -> " + result.size() + " traces";
        }
        found += result.size();
      }
      System.out.printf("search service + attribute + minDuration 50ms, 15 min window, limit 20"
          + " (%d queries, %.1f traces each): p50 %.2f ms, p99 %.2f ms, first %.2f ms;"
          + " CPU time p50 %.2f ms, p99 %.2f ms%n",
          searches, (double) found / searches, pct(search, 50), pct(search, 99),
          search[0] / 1e6, pct(searchCpu, 50), pct(searchCpu, 99));
      System.out.printf("  most CPU: %.2f ms for %s%n", slowestCpu / 1e6, slowest);

      long t0 = System.nanoTime();
      List<String> services = store.serviceNames().services(Tenants.DEFAULT);
      int operations = 0;
      for (String s : services) {
        operations += store.serviceNames().operations(Tenants.DEFAULT, s, null).size();
      }
      List<DependencyLink> links =
          store.dependencyReader().dependencies(Tenants.DEFAULT, start, dataEnd + MINUTE);
      List<String> keys = store.attributeNames().keys(Tenants.DEFAULT, null);
      List<String> values =
          store.attributeNames().values(Tenants.DEFAULT, "http.route", "/p", 10);
      System.out.printf("rollups (%.2f ms): %d services, %d operations, %d attribute keys,"
          + " %d dependency links; http.route values /p*: %s%n", (System.nanoTime() - t0) / 1e6,
          services.size(), operations, keys.size(), links.size(), values);
      long calls = 0;
      long errors = 0;
      for (DependencyLink l : links) {
        calls += l.callCount();
        errors += l.errorCount();
      }
      System.out.printf("dependencies: %,d calls, %,d errors; busiest: %s%n", calls, errors,
          links.stream().sorted(Comparator.comparingLong(DependencyLink::callCount).reversed())
              .limit(3).toList());
    } finally {
      store.close();
      if (temporary) delete(dir);
    }
  }

  private static double pct(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private StorageBenchmark() {}
}
