package dev.spanwise.wal;

import static dev.spanwise.wal.WalTesting.readAll;
import static dev.spanwise.wal.WalTesting.record;
import static dev.spanwise.wal.WalTesting.segmentFiles;
import static dev.spanwise.wal.WalTesting.textOf;
import static dev.spanwise.wal.WalTesting.textsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
  @TempDir Path dir;
  final FaultyChannel.Faults faults = new FaultyChannel.Faults();

  WalOptions.Builder faulty() {
    return WalOptions.builder()
        .channelOpener((path, opts) -> new FaultyChannel(java.nio.channels.FileChannel.open(path, opts), faults));
  }

  @Test
  void concurrentAppendersAllCompleteAndAreReadableInOrder() throws Exception {
    int threads = 8;
    int perThread = 300;
    Map<Long, String> appendedAt = new java.util.concurrent.ConcurrentHashMap<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.builder().segmentBytes(64 * 1024).build())) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          List<CompletableFuture<Long>> futures = new ArrayList<>();
          List<String> texts = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            byte[] r = record(thread * perThread + i, 100);
            texts.add(new String(r, StandardCharsets.UTF_8));
            futures.add(log.append(r));
          }
          for (int i = 0; i < perThread; i++) {
            assertThat(appendedAt.put(futures.get(i).join(), texts.get(i))).isNull();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();

      List<WalRecord> read = readAll(log, log.firstPosition());
      assertThat(read).hasSize(threads * perThread);
      Map<Long, String> readAt = new HashMap<>();
      long last = -1;
      for (WalRecord r : read) {
        assertThat(r.position()).isGreaterThan(last);
        assertThat(r.nextPosition()).isEqualTo(r.position() + 8 + r.payload().length);
        last = r.position();
        readAt.put(r.position(), textOf(r));
      }
      assertThat(readAt).isEqualTo(appendedAt);
      assertThat(segmentFiles(dir).size()).isGreaterThan(1);
      WalStats stats = log.stats();
      assertThat(stats.appendedRecords()).isEqualTo(threads * perThread);
      assertThat(stats.pendingBytes()).isZero();
      assertThat(stats.endPosition()).isEqualTo(last + read.get(read.size() - 1).payload().length + 8);
    }
  }

  @Test
  void appendsQueuedDuringAnFsyncShareTheNextOne() throws Exception {
    List<int[]> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
    WalListener listener = new WalListener() {
      @Override
      public void groupCommitted(int records, long bytes, long fsyncNanos) {
        groups.add(new int[] {records});
      }
    };
    try (WriteAheadLog log = WriteAheadLog.open(dir, faulty().listener(listener).build())) {
      int entered = faults.entered.get();
      faults.holdForces = new CountDownLatch(1);
      CompletableFuture<Long> first = log.append(record(0));
      waitUntil(() -> faults.entered.get() > entered); // the writer is inside the first fsync
      List<CompletableFuture<Long>> rest = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        rest.add(log.append(record(i)));
      }
      assertThat(first).isNotDone();
      faults.holdForces.countDown();
      first.get(10, TimeUnit.SECONDS);
      for (CompletableFuture<Long> f : rest) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertThat(log.stats().groupCommits()).isEqualTo(2);
      assertThat(groups).extracting(g -> g[0]).containsExactly(1, 10);
      assertThat(textsOf(readAll(log, 0))).hasSize(11);
    }
  }

  @Test
  void reopenAfterCloseKeepsRecordsAndPositionsKeepGrowing() throws Exception {
    long lastPosition;
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults())) {
      for (int i = 0; i < 5; i++) {
        log.append(record(i)).join();
      }
      lastPosition = log.append(record(5)).join();
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults())) {
      assertThat(textsOf(readAll(log, 0))).containsExactly(
          text(0), text(1), text(2), text(3), text(4), text(5));
      long next = log.append(record(6)).join();
      assertThat(next).isGreaterThan(lastPosition);
      assertThat(log.stats().corruptRecords()).isZero();
      assertThat(readAll(log, next)).extracting(WalTesting::textOf).containsExactly(text(6));
    }
  }

  @Test
  void closeWritesPendingAppendsThenRefusesNewOnes() throws Exception {
    WriteAheadLog log = WriteAheadLog.open(dir, faulty().build());
    faults.holdForces = new CountDownLatch(1);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      futures.add(log.append(record(i)));
    }
    CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
      try {
        log.close();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    faults.holdForces.countDown();
    closed.get(10, TimeUnit.SECONDS);
    for (CompletableFuture<Long> f : futures) {
      assertThat(f).isCompletedWithValueMatching(p -> p > 0);
    }
    assertThatThrownBy(() -> log.append(record(99)).join())
        .hasCauseInstanceOf(IllegalStateException.class);
    try (WriteAheadLog reopened = WriteAheadLog.open(dir, WalOptions.defaults())) {
      assertThat(readAll(reopened, 0)).hasSize(20);
    }
  }

  @Test
  void segmentsRollAndRetentionDeletesOnlyWholeOlderSegments() throws Exception {
    WalOptions options = WalOptions.builder().segmentBytes(1024).build();
    try (WriteAheadLog log = WriteAheadLog.open(dir, options)) {
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        positions.add(log.append(record(i, 100)).join());
      }
      List<Path> files = segmentFiles(dir);
      assertThat(files.size()).isGreaterThan(5);
      for (Path f : files) {
        assertThat(Files.size(f)).isLessThanOrEqualTo(1024);
      }
      assertThat(positions).isSorted();
      assertThat(textsOf(readAll(log, 0))).hasSize(60).startsWith(text100(0)).endsWith(text100(59));

      long checkpoint = positions.get(30);
      int deleted = log.deleteSegmentsBefore(checkpoint);
      assertThat(deleted).isPositive();
      assertThat(segmentFiles(dir)).hasSize(files.size() - deleted);
      assertThat(log.firstPosition()).isLessThanOrEqualTo(checkpoint);
      List<String> kept = textsOf(readAll(log, 0));
      assertThat(kept).endsWith(text100(59)).contains(text100(30)).doesNotContain(text100(0));
      assertThat(textsOf(readAll(log, checkpoint)).get(0)).isEqualTo(text100(30));

      log.deleteSegmentsBefore(Long.MAX_VALUE);
      assertThat(segmentFiles(dir)).hasSize(1);
      long after = log.append(record(60, 100)).join();
      assertThat(textsOf(readAll(log, 0))).contains(text100(60));
      assertThat(after).isGreaterThan(positions.get(59));
    }
  }

  @Test
  void aReaderMovesOnWhenRetentionDeletesItsSegment() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.builder().segmentBytes(1024).build())) {
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        positions.add(log.append(record(i, 100)).join());
      }
      try (WalReader reader = log.reader(0)) {
        log.deleteSegmentsBefore(positions.get(20));
        WalRecord first = reader.next();
        assertThat(first.position()).isEqualTo(log.firstPosition() + 20);
        assertThat(first.position()).isLessThanOrEqualTo(positions.get(20));
        int count = 1;
        while (reader.next() != null) {
          count++;
        }
        assertThat(count).isEqualTo(40 - positions.indexOf(first.position()));
      }
    }
  }

  @Test
  void readerTailsALogBeingWritten() throws Exception {
    int count = 300;
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.builder().segmentBytes(4096).build());
        WalReader reader = log.reader(0)) {
      CompletableFuture<List<String>> tailed = CompletableFuture.supplyAsync(() -> {
        List<String> seen = new ArrayList<>();
        try {
          while (seen.size() < count) {
            WalRecord r = reader.next(Duration.ofSeconds(10));
            if (r == null) {
              throw new AssertionError("reader timed out after " + seen.size());
            }
            seen.add(textOf(r));
          }
        } catch (IOException | InterruptedException e) {
          throw new RuntimeException(e);
        }
        return seen;
      });
      List<String> appended = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        appended.add(new String(record(i, 60), StandardCharsets.UTF_8));
        CompletableFuture<Long> f = log.append(record(i, 60));
        if (i % 10 == 0) {
          f.join();
        }
      }
      assertThat(tailed.get(30, TimeUnit.SECONDS)).isEqualTo(appended);
      assertThat(reader.next()).isNull();
      assertThat(reader.next(Duration.ofMillis(20))).isNull();
    }
  }

  @Test
  void readersSeeRecordsOnlyOnceFsynced() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, faulty().build());
        WalReader reader = log.reader(0)) {
      faults.holdForces = new CountDownLatch(1);
      CompletableFuture<Long> f = log.append(record(1));
      waitUntil(() -> Files.size(WalTesting.lastSegment(dir)) > 20);
      assertThat(reader.next()).isNull();
      assertThat(f).isNotDone();
      faults.holdForces.countDown();
      long position = f.get(10, TimeUnit.SECONDS);
      WalRecord r = reader.next();
      assertThat(r.position()).isEqualTo(position);
      assertThat(textOf(r)).isEqualTo(text(1));
      assertThat(reader.position()).isEqualTo(r.nextPosition());
    }
  }

  @Test
  void appendFailsFastWithWalFullOverThePendingBudget() throws Exception {
    WalOptions options = faulty().maxRecordBytes(1000).maxPendingBytes(10_000).build();
    try (WriteAheadLog log = WriteAheadLog.open(dir, options)) {
      faults.holdForces = new CountDownLatch(1);
      List<CompletableFuture<Long>> accepted = new ArrayList<>();
      CompletableFuture<Long> refused = null;
      for (int i = 0; i < 100 && refused == null; i++) {
        CompletableFuture<Long> f = log.append(record(i, 1000));
        if (f.isCompletedExceptionally()) {
          refused = f;
        } else {
          accepted.add(f);
        }
      }
      assertThat(refused).isNotNull();
      assertThatThrownBy(refused::join).hasCauseInstanceOf(WalFullException.class);
      assertThat(accepted.size()).isBetween(9, 10);
      assertThat(log.stats().rejectedAppends()).isEqualTo(1);
      faults.holdForces.countDown();
      for (CompletableFuture<Long> f : accepted) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertThat(log.append(record(1000, 1000)).get(10, TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void recordsLargerThanTheLimitAreRefused() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.builder().maxRecordBytes(100).build())) {
      assertThatThrownBy(() -> log.append(new byte[101]).join())
          .hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxRecordBytes");
      assertThat(log.append(new byte[100]).join()).isPositive();
      assertThat(log.append(new byte[0]).join()).isPositive();
      assertThat(readAll(log, 0)).extracting(r -> r.payload().length).containsExactly(100, 0);
    }
  }

  @Test
  void aFailedWriteFailsItsAppendsAndLeavesNoHalfRecord() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, faulty().build())) {
      long a = log.append(record(1)).join();
      faults.failWrites.set(1);
      CompletableFuture<Long> failed = log.append(record(2, 500));
      assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IOException.class)
          .hasMessageContaining("No space left");
      assertThat(Files.size(WalTesting.lastSegment(dir))).isEqualTo(log.endPosition());
      assertThat(textsOf(readAll(log, 0))).containsExactly(text(1));
      long c = log.append(record(3)).get(10, TimeUnit.SECONDS);
      assertThat(c).isGreaterThan(a);
      assertThat(textsOf(readAll(log, 0))).containsExactly(text(1), text(3));
      assertThat(log.stats().failedAppends()).isEqualTo(1);
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults())) {
      assertThat(textsOf(readAll(log, 0))).containsExactly(text(1), text(3));
      assertThat(log.stats().corruptRecords()).isZero();
    }
  }

  @Test
  void aFailedFsyncFailsItsAppendsAndTheNextAppendRetries() throws Exception {
    List<Integer> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    WalListener listener = new WalListener() {
      @Override
      public void writeFailed(int records, IOException cause) {
        failures.add(records);
      }
    };
    try (WriteAheadLog log = WriteAheadLog.open(dir, faulty().listener(listener).build());
        WalReader reader = log.reader(0)) {
      faults.failForces.set(1);
      assertThatThrownBy(() -> log.append(record(1)).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IOException.class);
      assertThat(reader.next()).isNull();
      log.append(record(2)).get(10, TimeUnit.SECONDS);
      assertThat(textOf(reader.next())).isEqualTo(text(2));
      assertThat(failures).containsExactly(1);
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults())) {
      assertThat(textsOf(readAll(log, 0))).containsExactly(text(2));
    }
  }

  @Test
  void aDirectoryCanBeOpenedOnlyOnceAtATime() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults())) {
      assertThat(log.directory()).isEqualTo(dir);
      assertThatThrownBy(() -> WriteAheadLog.open(dir, WalOptions.defaults()))
          .isInstanceOf(IOException.class).hasMessageContaining("already open");
    }
    WriteAheadLog.open(dir, WalOptions.defaults()).close();
  }

  @Test
  void readerRefusesAPositionPastTheEnd() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.defaults())) {
      assertThatThrownBy(() -> log.reader(log.endPosition() + 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fromPosition");
    }
  }

  @Test
  void optionsNameTheBadField() {
    assertThatThrownBy(() -> WalOptions.builder().segmentBytes(10))
        .hasMessageContaining("segmentBytes");
    assertThatThrownBy(() -> WalOptions.builder().maxPendingBytes(0))
        .hasMessageContaining("maxPendingBytes");
    assertThatThrownBy(() -> WalOptions.builder().maxRecordBytes(100).maxPendingBytes(50).build())
        .hasMessageContaining("maxRecordBytes");
  }

  static String text100(int i) {
    return new String(record(i, 100), StandardCharsets.UTF_8);
  }

  static String text(int i) {
    return new String(record(i), StandardCharsets.UTF_8);
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void waitUntil(Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 10 s");
      }
      Thread.sleep(1);
    }
  }
}
