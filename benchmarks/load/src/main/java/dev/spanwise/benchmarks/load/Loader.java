package dev.spanwise.benchmarks.load;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads a number of freshly generated spans (current timestamps) as fast as the server takes
 * them: one thread generates and encodes, {@code concurrency} threads send, and a refused batch
 * (503/429) is retried after the server's Retry-After. Remembers every trace id it sent.
 */
final class Loader {
  static final int MAX_ERROR_RETRIES = 5;

  record Result(long spansAcked, long spansFailed, long refusals, long errors, double seconds,
      long[] traceIds) {

    int traceCount() {
      return traceIds.length / 2;
    }

    TraceId traceId(int i) {
      return new TraceId(traceIds[2 * i], traceIds[2 * i + 1]);
    }
  }

  private record Batch(byte[] body, int spans) {}

  private static final Batch END = new Batch(new byte[0], 0);

  private final IngestSender sender;
  private final Protocol protocol;
  private final WorkloadGenerator generator;
  private final int batchSpans;
  private final int concurrency;
  private final long maxBackoffMillis;

  Loader(IngestSender sender, Protocol protocol, WorkloadGenerator generator, int batchSpans,
      int concurrency, long maxBackoffMillis) {
    this.sender = sender;
    this.protocol = protocol;
    this.generator = generator;
    this.batchSpans = batchSpans;
    this.concurrency = concurrency;
    this.maxBackoffMillis = maxBackoffMillis;
  }

  Result load(long totalSpans, java.util.function.LongConsumer progress) throws InterruptedException {
    BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(concurrency * 2);
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong refusals = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> crash = new AtomicReference<>();
    List<Thread> senders = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      Thread t = new Thread(() -> {
        try {
          for (Batch b = queue.take(); b != END; b = queue.take()) {
            send(b, acked, failed, refusals, errors);
            progress.accept(acked.get());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          crash.set(e);
        }
      }, "query-load-sender-" + i);
      t.start();
      senders.add(t);
    }

    long[] ids = new long[1024];
    int traces = 0;
    long produced = 0;
    Iterator<LoadSpan> current = List.<LoadSpan>of().iterator();
    try {
      while (produced < totalSpans && crash.get() == null) {
        int n = (int) Math.min(batchSpans, totalSpans - produced);
        List<LoadSpan> batch = new ArrayList<>(n);
        while (batch.size() < n) {
          if (!current.hasNext()) {
            LoadTrace trace = generator.nextTrace();
            if (2 * traces + 2 > ids.length) ids = java.util.Arrays.copyOf(ids, ids.length * 2);
            ids[2 * traces] = trace.traceId().high();
            ids[2 * traces + 1] = trace.traceId().low();
            traces++;
            current = trace.spans().iterator();
          }
          batch.add(current.next());
        }
        queue.put(new Batch(protocol.encode(batch), n));
        produced += n;
      }
    } finally {
      for (int i = 0; i < senders.size(); i++) queue.put(END);
      for (Thread t : senders) t.join();
    }
    if (crash.get() != null) throw new IllegalStateException("sender failed", crash.get());
    return new Result(acked.get(), failed.get(), refusals.get(), errors.get(),
        (System.nanoTime() - start) / 1e9, java.util.Arrays.copyOf(ids, 2 * traces));
  }

  private void send(Batch b, AtomicLong acked, AtomicLong failed, AtomicLong refusals,
      AtomicLong errors) throws InterruptedException {
    int errorsHere = 0;
    while (true) {
      IngestSender.Result r = sender.send(b.body(), b.spans()).join();
      switch (r.outcome()) {
        case ACCEPTED:
          acked.addAndGet(r.acceptedSpans());
          failed.addAndGet(r.rejectedSpans());
          return;
        case REFUSED:
          refusals.incrementAndGet();
          Thread.sleep(Math.max(10, Math.min(r.retryAfterMillis(), maxBackoffMillis)));
          break;
        default:
          errors.incrementAndGet();
          if (++errorsHere > MAX_ERROR_RETRIES) {
            System.err.println("query-load: giving up on a batch: " + r.detail());
            failed.addAndGet(b.spans());
            return;
          }
          Thread.sleep(1000);
          break;
      }
    }
  }
}
