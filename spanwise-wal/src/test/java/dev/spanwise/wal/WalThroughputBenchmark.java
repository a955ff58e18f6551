package dev.spanwise.wal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Group-commit throughput: N appender threads append fixed-size records for a while, each keeping
 * up to {@code window} appends in flight (window 1 = every appender waits for its fsync, as a
 * receiver answering one request at a time does). Not a unit test; run it by hand:
 *
 * <pre>
 * java -cp spanwise-wal/target/classes:spanwise-wal/target/test-classes \
 *     dev.spanwise.wal.WalThroughputBenchmark [dir] [seconds] [threads] [recordBytes] [window]
 * </pre>
 */
public final class WalThroughputBenchmark {
  private WalThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("wal-bench");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int recordBytes = args.length > 3 ? Integer.parseInt(args[3]) : 2048;
    int window = args.length > 4 ? Integer.parseInt(args[4]) : 1;

    LongAdder fsyncs = new LongAdder();
    AtomicLong fsyncNanos = new AtomicLong();
    WalListener listener = new WalListener() {
      @Override
      public void groupCommitted(int records, long bytes, long nanos) {
        fsyncs.increment();
        fsyncNanos.addAndGet(nanos);
      }
    };
    WalOptions options = WalOptions.builder().listener(listener).build();
    byte[] record = new byte[recordBytes];
    new java.util.Random(1).nextBytes(record);
    LongAdder acked = new LongAdder();
    LongAdder failed = new LongAdder();
    try (WriteAheadLog log = WriteAheadLog.open(dir, options)) {
      // Warm up for a second, then measure.
      runFor(log, record, threads, window, 1, new LongAdder(), new LongAdder());
      long appendedBefore = log.stats().appendedRecords();
      fsyncs.reset();
      fsyncNanos.set(0);
      long start = System.nanoTime();
      runFor(log, record, threads, window, seconds, acked, failed);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long records = log.stats().appendedRecords() - appendedBefore;
      double mb = records * (double) recordBytes / (1024 * 1024);
      System.out.printf("threads=%d recordBytes=%d window=%d seconds=%.1f%n",
          threads, recordBytes, window, elapsed);
      System.out.printf("records/s=%.0f MB/s=%.1f fsyncs/s=%.0f records/fsync=%.1f "
              + "mean fsync=%.2f ms failed=%d%n",
          records / elapsed, mb / elapsed, fsyncs.sum() / elapsed,
          records / (double) Math.max(1, fsyncs.sum()),
          fsyncNanos.get() / 1e6 / Math.max(1, fsyncs.sum()), failed.sum());
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private static void runFor(WriteAheadLog log, byte[] record, int threads, int window,
      int seconds, LongAdder acked, LongAdder failed) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        ArrayDeque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        while (System.nanoTime() < end) {
          while (inFlight.size() >= window) {
            await(inFlight.poll(), acked, failed);
          }
          inFlight.add(log.append(record));
        }
        while (!inFlight.isEmpty()) {
          await(inFlight.poll(), acked, failed);
        }
      });
      thread.start();
      appenders.add(thread);
    }
    for (Thread thread : appenders) {
      thread.join();
    }
  }

  private static void await(CompletableFuture<Long> f, LongAdder acked, LongAdder failed) {
    try {
      f.join();
      acked.increment();
    } catch (RuntimeException e) {
      failed.increment(); // WalFullException when the window outruns the pending budget
    }
  }
}
