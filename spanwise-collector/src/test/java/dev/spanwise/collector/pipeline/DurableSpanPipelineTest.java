package dev.spanwise.collector.pipeline;

import static dev.spanwise.collector.pipeline.PipelineTesting.spans;
import static dev.spanwise.collector.pipeline.PipelineTesting.traceId;
import static dev.spanwise.collector.pipeline.PipelineTesting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.codec.SpanBatchCodec;
import dev.spanwise.collector.OverloadedException;
import dev.spanwise.model.Span;
import dev.spanwise.storage.Tenants;
import dev.spanwise.wal.Checkpoint;
import dev.spanwise.wal.WalListener;
import dev.spanwise.wal.WalOptions;
import dev.spanwise.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableSpanPipelineTest {
  @TempDir Path dir;
  final FakeSpanStore store = new FakeSpanStore();

  DurableSpanPipeline.Options.Builder options() {
    return DurableSpanPipeline.Options.builder()
        .flushInterval(Duration.ofMillis(20))
        .checkpointInterval(Duration.ofMillis(20))
        .minFreeDiskBytes(0);
  }

  @Test
  void writeIsAcknowledgedThenIndexedAndReadable() throws Exception {
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      pipeline.write(Tenants.DEFAULT, spans(1, 3)).get(10, TimeUnit.SECONDS);
      pipeline.write("acme", spans(2, 2)).get(10, TimeUnit.SECONDS);
      assertThat(pipeline.walStats().appendedRecords()).isEqualTo(2);

      waitUntil(() -> store.visibleSpans() == 5, "spans indexed and flushed");
      assertThat(store.traceReader().getTrace(Tenants.DEFAULT, traceId(1))).hasSize(3);
      assertThat(store.traceReader().getTrace("acme", traceId(2))).hasSize(2);
      assertThat(store.traceReader().getTrace(Tenants.DEFAULT, traceId(2))).isEmpty();
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "lag back to zero");
      Indexer indexer = pipeline.indexer();
      assertThat(indexer.lagRecords()).isZero();
      assertThat(indexer.indexedBatches()).isEqualTo(2);
      assertThat(indexer.indexedSpans()).isEqualTo(5);
      assertThat(indexer.isRunning()).isTrue();
      waitUntil(() -> indexer.checkpointedPosition() == indexer.position(), "checkpointed");
      assertThat(Checkpoint.at(dir.resolve(DurableSpanPipeline.CHECKPOINT_FILE)).read())
          .hasValue(indexer.checkpointedPosition());
    }
  }

  @Test
  void batchesAcknowledgedButNotIndexedAreReplayedAfterARestart() throws Exception {
    store.down = true;
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      for (int trace = 0; trace < 5; trace++) {
        pipeline.write(Tenants.DEFAULT, spans(trace, 2)).get(10, TimeUnit.SECONDS);
      }
      waitUntil(() -> pipeline.indexer().storeErrors() > 0, "indexer tried the store");
      assertThat(pipeline.indexer().lagRecords()).isEqualTo(5);
      assertThat(pipeline.indexer().lagBytes()).isPositive();
    } // "crash": the store never took anything
    assertThat(store.visibleSpans()).isZero();

    FakeSpanStore restarted = new FakeSpanStore();
    restarted.down = true; // the replay cannot finish until the store is up
    try (DurableSpanPipeline pipeline =
        DurableSpanPipeline.create(dir, restarted, options().build())) {
      waitUntil(() -> restarted.acceptCalls.get() > 0, "replay tried the store");
      assertThat(pipeline.indexer().replayed()).isFalse();
      restarted.down = false;
      waitUntil(() -> restarted.visibleSpans() == 10, "replayed into the new store");
      waitUntil(() -> pipeline.indexer().replayed(), "backlog replayed");
      for (int trace = 0; trace < 5; trace++) {
        assertThat(restarted.traceReader().getTrace(Tenants.DEFAULT, traceId(trace))).hasSize(2);
      }
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "caught up");
    }

    // Once checkpointed, nothing is replayed again.
    FakeSpanStore third = new FakeSpanStore();
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, third, options().build())) {
      pipeline.write(Tenants.DEFAULT, spans(9, 1)).get(10, TimeUnit.SECONDS);
      waitUntil(() -> third.visibleSpans() == 1, "new batch indexed");
      assertThat(third.acceptCalls.get()).isEqualTo(1);
    }
  }

  @Test
  void aStoreThatFailsForAWhileLosesNothing() throws Exception {
    store.failAccepts.set(3);
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      for (int trace = 0; trace < 4; trace++) {
        pipeline.write(Tenants.DEFAULT, spans(trace, 3)).get(10, TimeUnit.SECONDS);
      }
      waitUntil(() -> store.visibleSpans() == 12, "all indexed after the failures");
      assertThat(pipeline.indexer().storeErrors()).isEqualTo(3);
      assertThat(pipeline.indexer().failedBatches()).isZero();
      assertThat(pipeline.indexer().lastError()).hasMessageContaining("transient store failure");
    }
  }

  @Test
  void anUndecodableBatchIsSkippedAndCounted() throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
      wal.append(SpanBatchCodec.encode(Tenants.DEFAULT, spans(1, 2))).join();
      wal.append("not a span batch".getBytes(StandardCharsets.UTF_8)).join();
      wal.append(new byte[] {(byte) SpanBatchCodec.FORMAT_VERSION, 100, 1, 2}).join();
      wal.append(SpanBatchCodec.encode(Tenants.DEFAULT, spans(2, 3))).join();
    }
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      waitUntil(() -> store.visibleSpans() == 5, "the good batches indexed");
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "caught up");
      assertThat(pipeline.indexer().skippedBatches()).isEqualTo(2);
      assertThat(pipeline.indexer().indexedBatches()).isEqualTo(2);
      assertThat(pipeline.indexer().isRunning()).isTrue();
    }
  }

  /** Writes {@code count} log records before a pipeline opens the log: a backlog waiting for it. */
  private void logBefore(int count, IntFunction<byte[]> record) throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
      for (int i = 0; i < count; i++) wal.append(record.apply(i)).join();
    }
  }

  /** Records waiting in the log reach the store as a few writes of up to about a thousand spans. */
  @Test
  void aBacklogOfSmallBatchesIsWrittenInFewLargerWrites() throws Exception {
    logBefore(600, i -> SpanBatchCodec.encode(Tenants.DEFAULT, spans(i, 5)));
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      waitUntil(() -> store.visibleSpans() == 3000, "the backlog indexed");
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "caught up");
      // 600 records of 5 spans: groups of 200 records (1000 spans) when all are waiting
      assertThat(store.acceptCalls.get()).isBetween(3, 30);
      assertThat(store.largestAccept.get()).isEqualTo(Indexer.GROUP_SPANS);
      assertThat(pipeline.indexer().indexedBatches()).isEqualTo(600);
      assertThat(pipeline.indexer().indexedSpans()).isEqualTo(3000);
      assertThat(pipeline.indexer().lagRecords()).isZero();
    }
  }

  /** A write to the store holds one tenant's spans: a group ends where the tenant changes. */
  @Test
  void aGroupHoldsOneTenant() throws Exception {
    logBefore(40, i -> SpanBatchCodec.encode(i % 4 < 2 ? "acme" : "globex", spans(i, 3)));
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      waitUntil(() -> store.visibleSpans() == 120, "the backlog indexed");
      // two records of a tenant, then two of the other: every second record starts a group
      assertThat(store.acceptCalls.get()).isEqualTo(20);
      for (int i = 0; i < 40; i++) {
        String tenant = i % 4 < 2 ? "acme" : "globex";
        String other = i % 4 < 2 ? "globex" : "acme";
        assertThat(store.traceReader().getTrace(tenant, traceId(i))).hasSize(3);
        assertThat(store.traceReader().getTrace(other, traceId(i))).isEmpty();
      }
    }
  }

  /**
   * A group the store refuses (bad data, not an I/O failure) is written again record by record:
   * only the record holding what the store refuses is given up.
   */
  @Test
  void aRefusedGroupIsWrittenRecordByRecord() throws Exception {
    store.refusedTrace = traceId(5);
    logBefore(10, i -> SpanBatchCodec.encode(Tenants.DEFAULT, spans(i, 2)));
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "caught up");
      waitUntil(() -> store.visibleSpans() == 18, "all but the refused record indexed");
      assertThat(pipeline.indexer().failedBatches()).isEqualTo(1);
      assertThat(pipeline.indexer().indexedBatches()).isEqualTo(9);
      assertThat(store.traceReader().getTrace(Tenants.DEFAULT, traceId(5))).isEmpty();
      assertThat(store.traceReader().getTrace(Tenants.DEFAULT, traceId(6))).hasSize(2);
      assertThat(pipeline.indexer().lastError()).hasMessageContaining("refuses trace");
    }
  }

  /** A backlog reaches the store in log order; undecodable batches among it are skipped, counted. */
  @Test
  void aBacklogIsStoredInLogOrder() throws Exception {
    List<Long> expected = new ArrayList<>();
    int bad = 0;
    try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
      for (int i = 0; i < 300; i++) {
        if (i % 7 == 3) {
          wal.append("not a span batch".getBytes(StandardCharsets.UTF_8)).join();
          bad++;
        } else {
          wal.append(SpanBatchCodec.encode(Tenants.DEFAULT, spans(i, 2))).join();
          expected.add(i + 1L); // the low half of traceId(i)
          expected.add(i + 1L); // the low half of traceId(i)
        }
      }
    }
    int badBatches = bad;
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      waitUntil(() -> store.visibleSpans() == expected.size(), "the backlog indexed");
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "caught up");
      assertThat(store.acceptedInOrder()).extracting(s -> s.traceId().low())
          .containsExactlyElementsOf(expected);
      assertThat(pipeline.indexer().skippedBatches()).isEqualTo(badBatches);
      assertThat(pipeline.indexer().indexedBatches()).isEqualTo(300 - badBatches);
    }
  }

  @Test
  void aFullQueueIsRefusedAsOverloaded() throws Exception {
    CountDownLatch writerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WalListener holdFirstGroup = new WalListener() {
      @Override
      public void groupCommitted(int records, long bytes, long fsyncNanos) {
        writerHeld.countDown();
        try {
          release.await(10, TimeUnit.SECONDS); // the writer thread stops here, holding the budget
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    byte[] oneBatch = SpanBatchCodec.encode(Tenants.DEFAULT, spans(0, 1));
    WalOptions wal = WalOptions.builder().listener(holdFirstGroup)
        .maxRecordBytes(oneBatch.length * 2).maxPendingBytes(oneBatch.length * 3L).build();
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store,
        options().walOptions(wal).retryAfter(Duration.ofSeconds(7)).build())) {
      CompletableFuture<Void> first = pipeline.write(Tenants.DEFAULT, spans(0, 1));
      writerHeld.await(10, TimeUnit.SECONDS);
      List<CompletableFuture<Void>> more = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        more.add(pipeline.write(Tenants.DEFAULT, spans(i, 1)));
      }
      CompletableFuture<Void> refused = more.get(more.size() - 1);
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(OverloadedException.class, e -> {
            assertThat(e.reason()).isEqualTo("queue_full");
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
          });
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      assertThat(pipeline.write(Tenants.DEFAULT, spans(9, 1)).get(10, TimeUnit.SECONDS)).isNull();
    }
  }

  @Test
  void anIndexerFallingBehindIsBackpressureNotAnUnboundedBacklog() throws Exception {
    store.down = true; // the indexer cannot move: every acknowledged batch stays in the backlog
    // Room for two framed batches and not three: the third write is taken, the fourth refused.
    long oneBatch = SpanBatchCodec.encode(Tenants.DEFAULT, spans(0, 3)).length;
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store,
        options().maxIndexLagBytes(oneBatch * 5 / 2 + 64).retryAfter(Duration.ofSeconds(4)).build())) {
      for (int trace = 0; trace < 3; trace++) {
        pipeline.write(Tenants.DEFAULT, spans(trace, 3)).get(10, TimeUnit.SECONDS);
      }
      CompletableFuture<Void> refused = pipeline.write(Tenants.DEFAULT, spans(3, 3));
      assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
          .cause().isInstanceOfSatisfying(OverloadedException.class, e -> {
            assertThat(e.reason()).isEqualTo("index_lag");
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(4));
          });
      store.down = false; // the store recovers: the backlog drains and writes are taken again
      waitUntil(() -> pipeline.indexer().lagBytes() == 0, "backlog indexed");
      pipeline.write(Tenants.DEFAULT, spans(3, 3)).get(10, TimeUnit.SECONDS);
      waitUntil(() -> store.visibleSpans() == 12, "every acknowledged span indexed");
    }
  }

  @Test
  void aFullDiskIsRefusedAsOverloaded() throws Exception {
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store,
        options().minFreeDiskBytes(1024).usableSpace(directory -> 100).build())) {
      assertThatThrownBy(() -> pipeline.write(Tenants.DEFAULT, spans(1, 1)).join())
          .cause().isInstanceOfSatisfying(OverloadedException.class,
              e -> assertThat(e.reason()).isEqualTo("disk_full"));
      assertThat(pipeline.walStats().appendedRecords()).isZero();
    }
  }

  @Test
  void recognisesOutOfSpaceErrors() {
    assertThat(DurableSpanPipeline.saysDiskFull(new java.io.IOException("No space left on device")))
        .isTrue();
    assertThat(DurableSpanPipeline.saysDiskFull(new java.io.IOException("Disk quota exceeded")))
        .isTrue();
    assertThat(DurableSpanPipeline.saysDiskFull(new java.io.IOException("Input/output error")))
        .isFalse();
    assertThat(DurableSpanPipeline.saysDiskFull(new java.io.IOException())).isFalse();
  }

  /**
   * Received OTLP bytes are logged as they are: a field this build does not know survives in the
   * record (an encoding of the spans would not have it), and the indexer stores the spans.
   */
  @Test
  void receivedOtlpBytesAreLoggedAsTheyAre() throws Exception {
    List<Span> received = spans(4, 3);
    byte[] known = dev.spanwise.codec.otlp.OtlpTraceEncoder.encodeToBytes(received);
    byte[] withUnknownField = appendUnknownVarintField(known, 15, 7);
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build())) {
      pipeline.writeOtlp(Tenants.DEFAULT, withUnknownField, 3).get(10, TimeUnit.SECONDS);
      waitUntil(() -> store.visibleSpans() == 3, "indexed from the received bytes");
      assertThat(store.traceReader().getTrace(Tenants.DEFAULT, traceId(4)))
          .containsExactlyInAnyOrderElementsOf(received);
    }
    try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults());
        dev.spanwise.wal.WalReader reader = wal.reader(wal.firstPosition())) {
      byte[] record = reader.next().payload();
      assertThat(java.util.Arrays.copyOfRange(record, record.length - withUnknownField.length,
          record.length)).isEqualTo(withUnknownField);
      assertThat(SpanBatchCodec.decode(record).spans()).containsExactlyElementsOf(
          SpanBatchCodec.decode(SpanBatchCodec.encode(Tenants.DEFAULT, received)).spans());
    }
  }

  @Test
  void receivedBytesAboveTheRecordLimitAreEncodedAndSplitInstead() throws Exception {
    List<Span> many = spans(3, 40);
    int oneSpan = SpanBatchCodec.encode(Tenants.DEFAULT, many.subList(0, 1)).length;
    WalOptions wal = WalOptions.builder().maxRecordBytes(oneSpan * 6).build();
    try (DurableSpanPipeline pipeline =
        DurableSpanPipeline.create(dir, store, options().walOptions(wal).build())) {
      pipeline.writeOtlp(Tenants.DEFAULT,
          dev.spanwise.codec.otlp.OtlpTraceEncoder.encodeToBytes(many), 40)
          .get(10, TimeUnit.SECONDS);
      assertThat(pipeline.walStats().appendedRecords()).isGreaterThan(6);
      waitUntil(() -> store.visibleSpans() == 40, "all parts indexed");
    }
  }

  /**
   * Each stored batch is handed to the {@code stored} observer once the store has it; batches
   * replayed from a log written before the pipeline started are stored but not handed over.
   */
  @Test
  void storedBatchesAreObservedButReplayedOnesAreNot() throws Exception {
    try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
      wal.append(SpanBatchCodec.encode(Tenants.DEFAULT, spans(7, 2))).get(10, TimeUnit.SECONDS);
    }
    List<Span> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store,
        options().stored((tenant, spans) -> observed.addAll(spans)).build())) {
      waitUntil(() -> store.visibleSpans() == 2, "the old record replayed");
      pipeline.writeOtlp(Tenants.DEFAULT,
          dev.spanwise.codec.otlp.OtlpTraceEncoder.encodeToBytes(spans(8, 3)), 3)
          .get(10, TimeUnit.SECONDS);
      pipeline.write(Tenants.DEFAULT, spans(9, 1)).get(10, TimeUnit.SECONDS);
      waitUntil(() -> observed.size() == 4, "the new batches observed");
      assertThat(observed).extracting(Span::traceId)
          .containsOnly(traceId(8), traceId(9));
      waitUntil(() -> store.visibleSpans() == 6, "all six stored");
    }
  }

  /** {@code message} with a varint field {@code number} = {@code value} appended. */
  private static byte[] appendUnknownVarintField(byte[] message, int number, int value) {
    byte[] out = java.util.Arrays.copyOf(message, message.length + 2);
    out[message.length] = (byte) (number << 3); // wire type 0; one byte for a number below 16
    out[message.length + 1] = (byte) value;
    return out;
  }

  @Test
  void aBatchLargerThanARecordIsSplit() throws Exception {
    List<Span> many = spans(3, 40);
    int oneSpan = SpanBatchCodec.encode(Tenants.DEFAULT, many.subList(0, 1)).length;
    WalOptions wal = WalOptions.builder().maxRecordBytes(oneSpan * 6).build();
    try (DurableSpanPipeline pipeline =
        DurableSpanPipeline.create(dir, store, options().walOptions(wal).build())) {
      pipeline.write(Tenants.DEFAULT, many).get(10, TimeUnit.SECONDS);
      assertThat(pipeline.walStats().appendedRecords()).isGreaterThan(6);
      waitUntil(() -> store.visibleSpans() == 40, "all parts indexed");
    }
  }

  @Test
  void retentionDeletesSegmentsTheCheckpointPassed() throws Exception {
    WalOptions wal = WalOptions.builder().segmentBytes(4096).build();
    try (DurableSpanPipeline pipeline =
        DurableSpanPipeline.create(dir, store, options().walOptions(wal).build())) {
      for (int trace = 0; trace < 60; trace++) {
        pipeline.write(Tenants.DEFAULT, spans(trace, 3)).get(10, TimeUnit.SECONDS);
      }
      waitUntil(() -> store.visibleSpans() == 180, "indexed");
      waitUntil(() -> pipeline.indexer().checkpointedPosition() == pipeline.indexer().position(),
          "checkpointed");
      waitUntil(() -> pipeline.walStats().segmentCount() <= 2, "old segments deleted");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".wal")).count()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void writeNeverThrowsAndRefusesAfterClose() throws Exception {
    DurableSpanPipeline pipeline = DurableSpanPipeline.create(dir, store, options().build());
    assertThat(pipeline.write(null, spans(1, 1))).isCompletedExceptionally();
    assertThat(pipeline.write(Tenants.DEFAULT, List.of())).isCompleted();
    pipeline.close();
    pipeline.close();
    assertThat(pipeline.write(Tenants.DEFAULT, spans(1, 1))).isCompletedExceptionally();
    assertThat(pipeline.indexer().isRunning()).isFalse();
  }

  @Test
  void optionsNameTheBadField() {
    assertThatThrownBy(() -> DurableSpanPipeline.Options.builder().flushInterval(Duration.ZERO))
        .hasMessageContaining("flushInterval");
    assertThatThrownBy(() -> DurableSpanPipeline.Options.builder().minFreeDiskBytes(-1))
        .hasMessageContaining("minFreeDiskBytes");
    assertThatThrownBy(() -> DurableSpanPipeline.Options.builder().retryAfter(null))
        .hasMessageContaining("retryAfter");
    assertThatThrownBy(() -> DurableSpanPipeline.Options.builder().maxIndexLagBytes(0))
        .hasMessageContaining("maxIndexLagBytes");
  }
}
