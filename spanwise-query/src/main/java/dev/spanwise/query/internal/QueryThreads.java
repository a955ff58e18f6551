package dev.spanwise.query.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that answer queries, shared by every query API in the JVM unless
 * {@link dev.spanwise.query.QueryOptions.Builder#executor} names others.
 *
 * <p>A fork-join pool rather than Armeria's blocking-task pool: its idle threads wait on a stack,
 * so the thread that answered the last query takes the next one while its caches are warm, and
 * at most {@link #parallelism()} of them exist. Armeria's pool holds up to 200 threads and wakes
 * the one that has waited longest, so calls made one after another each went to a cold thread,
 * and on a small machine waking a thread is part of a query's tail (benchmarks/README.md).
 * Storage calls may block (page faults, a remote backend), so the pool is several times wider
 * than the machine: a few slow searches do not hold up a trace lookup.
 */
public final class QueryThreads {
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  private static final ForkJoinPool SHARED = create();

  /** The pool of this JVM; its threads are daemons and end after a minute idle. */
  public static ForkJoinPool shared() {
    return SHARED;
  }

  /** How many queries run at once: four per processor, at least eight. */
  static int parallelism() {
    return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
  }

  private static ForkJoinPool create() {
    int parallelism = parallelism();
    return new ForkJoinPool(parallelism, pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("spanwise-query-" + THREAD_NUMBER.incrementAndGet());
      return t;
    }, null, false, 0, parallelism, 1, null, 60, TimeUnit.SECONDS);
  }

  private QueryThreads() {}
}
