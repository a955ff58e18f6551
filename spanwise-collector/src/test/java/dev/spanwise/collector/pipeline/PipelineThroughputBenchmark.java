package dev.spanwise.collector.pipeline;

import dev.spanwise.codec.SpanBatchCodec;
import dev.spanwise.model.Span;
import dev.spanwise.storage.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Durable pipeline throughput: N writer threads each keep {@code window} batches of {@code spans}
 * spans in flight for a while; the indexer feeds a {@link FakeSpanStore}. Reports acknowledged
 * spans/s and how far the indexer kept up. Not a unit test; run it by hand with the module's test
 * classpath: {@code PipelineThroughputBenchmark [seconds] [threads] [spansPerBatch] [window]}.
 */
public final class PipelineThroughputBenchmark {
  private PipelineThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int spansPerBatch = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Path dir = Files.createTempDirectory("pipeline-bench");
    List<Span> batch = PipelineTesting.spans(1, spansPerBatch);
    int batchBytes = SpanBatchCodec.encode(Tenants.DEFAULT, batch).length;
    FakeSpanStore store = new FakeSpanStore();
    LongAdder acked = new LongAdder();
    LongAdder refused = new LongAdder();
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store,
        DurableSpanPipeline.Options.defaults())) {
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long start = System.nanoTime();
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread writer = new Thread(() -> {
          ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
          while (System.nanoTime() < end) {
            while (inFlight.size() >= window) {
              await(inFlight.poll(), acked, refused);
            }
            inFlight.add(pipeline.write(Tenants.DEFAULT, batch));
          }
          while (!inFlight.isEmpty()) {
            await(inFlight.poll(), acked, refused);
          }
        });
        writer.start();
        writers.add(writer);
      }
      for (Thread writer : writers) {
        writer.join();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long batches = acked.sum();
      System.out.printf("threads=%d spans/batch=%d (%d bytes) window=%d seconds=%.1f%n",
          threads, spansPerBatch, batchBytes, window, elapsed);
      System.out.printf("acked batches/s=%.0f spans/s=%.0f MB/s=%.1f refused=%d "
              + "indexed at end=%d of %d batches, fsync groups=%d%n",
          batches / elapsed, batches * spansPerBatch / elapsed,
          batches * (double) batchBytes / elapsed / (1024 * 1024), refused.sum(),
          pipeline.indexer().indexedBatches(), batches, pipeline.walStats().groupCommits());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static void await(CompletableFuture<Void> f, LongAdder acked, LongAdder refused) {
    try {
      f.join();
      acked.increment();
    } catch (RuntimeException e) {
      refused.increment();
    }
  }
}
