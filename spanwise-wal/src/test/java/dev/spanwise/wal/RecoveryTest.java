package dev.spanwise.wal;

import static dev.spanwise.wal.WalTesting.lastSegment;
import static dev.spanwise.wal.WalTesting.readAll;
import static dev.spanwise.wal.WalTesting.record;
import static dev.spanwise.wal.WalTesting.segmentFiles;
import static dev.spanwise.wal.WalTesting.textOf;
import static dev.spanwise.wal.WalTesting.textsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage done to the files while the log is closed, and what opening it again makes of it. */
class RecoveryTest {
  @TempDir Path dir;
  final List<String> corruptions = new CopyOnWriteArrayList<>();
  final WalListener listener = new WalListener() {
    @Override
    public void corruptionDetected(Path segment, long position, long bytesDropped, String reason) {
      corruptions.add(reason);
    }
  };

  /** Writes records 0..count-1 and returns their positions. */
  List<Long> writeRecords(int count, WalOptions options) throws IOException {
    List<Long> positions = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, options)) {
      for (int i = 0; i < count; i++) {
        positions.add(log.append(record(i)).join());
      }
    }
    return positions;
  }

  WriteAheadLog reopen() throws IOException {
    return WriteAheadLog.open(dir, WalOptions.builder().listener(listener).build());
  }

  /** After recovery the log takes appends and returns them after what survived; a reopen is clean. */
  void assertUsable(WriteAheadLog log, List<String> survivors) throws IOException {
    long position = log.append(record(1000)).join();
    assertThat(position).isGreaterThanOrEqualTo(log.firstPosition());
    List<String> expected = new ArrayList<>(survivors);
    expected.add(text(1000));
    assertThat(textsOf(readAll(log, 0))).isEqualTo(expected);
    log.close();
    try (WriteAheadLog again = WriteAheadLog.open(dir, WalOptions.defaults())) {
      assertThat(again.stats().corruptRecords()).isZero();
      assertThat(textsOf(readAll(again, 0))).isEqualTo(expected);
    }
  }

  @Test
  void tornTailIsTruncatedAndCounted() throws Exception {
    List<Long> positions = writeRecords(10, WalOptions.defaults());
    Path segment = lastSegment(dir);
    long size = Files.size(segment);
    truncate(segment, size - 5); // the last record loses its last 5 bytes
    try (WriteAheadLog log = reopen()) {
      WalStats stats = log.stats();
      assertThat(stats.corruptRecords()).isEqualTo(1);
      assertThat(stats.truncatedBytes()).isEqualTo(size - 5 - positions.get(9));
      assertThat(corruptions).singleElement().asString().contains("partial record");
      assertThat(Files.size(segment)).isEqualTo(positions.get(9));
      assertUsable(log, texts(0, 9));
    }
  }

  @Test
  void aTornFrameHeaderIsTruncated() throws Exception {
    List<Long> positions = writeRecords(3, WalOptions.defaults());
    truncate(lastSegment(dir), positions.get(2) + 3);
    try (WriteAheadLog log = reopen()) {
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertThat(corruptions).singleElement().asString().contains("partial frame header");
      assertUsable(log, texts(0, 2));
    }
  }

  @Test
  void flippedBitsCutTheLastSegmentAtTheDamagedRecord() throws Exception {
    List<Long> positions = writeRecords(10, WalOptions.defaults());
    flipByte(lastSegment(dir), positions.get(5) + 8 + 3); // inside record 5's payload
    try (WriteAheadLog log = reopen()) {
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertThat(corruptions).singleElement().asString().contains("checksum mismatch");
      assertUsable(log, texts(0, 5));
    }
  }

  @Test
  void aZeroFilledTailIsTruncated() throws Exception {
    writeRecords(10, WalOptions.defaults());
    Path segment = lastSegment(dir);
    long size = Files.size(segment);
    Files.write(segment, new byte[4096], StandardOpenOption.APPEND);
    try (WriteAheadLog log = reopen()) {
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertThat(log.stats().truncatedBytes()).isEqualTo(4096);
      assertThat(Files.size(segment)).isEqualTo(size);
      assertUsable(log, texts(0, 10));
    }
  }

  @Test
  void garbageAfterTheLastRecordIsTruncated() throws Exception {
    writeRecords(10, WalOptions.defaults());
    byte[] garbage = new byte[777];
    new Random(42).nextBytes(garbage);
    Files.write(lastSegment(dir), garbage, StandardOpenOption.APPEND);
    try (WriteAheadLog log = reopen()) {
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertThat(log.stats().truncatedBytes()).isEqualTo(777);
      assertUsable(log, texts(0, 10));
    }
  }

  @Test
  void aGarbageLengthIsCaughtWithoutAllocatingIt() throws Exception {
    writeRecords(4, WalOptions.defaults());
    ByteBuffer frame = ByteBuffer.allocate(16).putInt(Integer.MAX_VALUE).putInt(1234).putLong(7);
    Files.write(lastSegment(dir), frame.array(), StandardOpenOption.APPEND);
    try (WriteAheadLog log = reopen()) {
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertUsable(log, texts(0, 4));
    }
  }

  @Test
  void corruptionInAnOlderSegmentSkipsTheRestOfThatSegmentOnly() throws Exception {
    WalOptions small = WalOptions.builder().segmentBytes(1024).build();
    List<Long> positions = writeRecords(100, small);
    List<Path> files = segmentFiles(dir);
    assertThat(files.size()).isGreaterThan(3);
    Path first = files.get(0);
    long secondBase = Long.parseLong(files.get(1).getFileName().toString().substring(0, 20));
    long inFirst = positions.stream().filter(p -> p < secondBase).count();
    assertThat(inFirst).isGreaterThan(4);
    flipByte(first, positions.get(3) + 10); // record 3 of the first segment
    try (WriteAheadLog log =
        WriteAheadLog.open(dir, WalOptions.builder().segmentBytes(1024).listener(listener).build())) {
      assertThat(log.stats().corruptRecords()).isZero(); // only the last segment is scanned on open
      List<String> read = textsOf(readAll(log, 0));
      List<String> expected = new ArrayList<>(texts(0, 3));
      expected.addAll(texts((int) inFirst, 100));
      assertThat(read).isEqualTo(expected);
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertThat(corruptions).singleElement().asString().contains("checksum mismatch");
      assertThat(log.append(record(100)).join()).isGreaterThan(positions.get(99));
    }
  }

  @Test
  void aSegmentTornWhileBeingCreatedIsRewritten() throws Exception {
    List<Long> positions = writeRecords(5, WalOptions.defaults());
    long end = positions.get(4) + 8 + record(4).length;
    // The crash came after the next segment's file was created, before its header was written.
    Files.write(dir.resolve(String.format("%020d.wal", end)), new byte[] {1, 2, 3});
    try (WriteAheadLog log = reopen()) {
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertThat(segmentFiles(dir)).hasSize(2);
      assertUsable(log, texts(0, 5));
    }
  }

  @Test
  void aLastSegmentWithADamagedHeaderIsSetAside() throws Exception {
    writeRecords(5, WalOptions.defaults());
    Path segment = lastSegment(dir);
    flipByte(segment, 2);
    try (WriteAheadLog log = reopen()) {
      assertThat(log.stats().corruptRecords()).isEqualTo(1);
      assertThat(corruptions).singleElement().asString().contains("magic");
      assertThat(segment.resolveSibling(segment.getFileName() + ".corrupt")).exists();
      assertUsable(log, List.of());
    }
  }

  @Test
  void positionsAreNotReusedAfterATailIsCut() throws Exception {
    List<Long> positions = writeRecords(10, WalOptions.defaults());
    long oldEnd = Files.size(lastSegment(dir));
    flipByte(lastSegment(dir), positions.get(8) + 9);
    try (WriteAheadLog log = reopen()) {
      assertThat(log.append(record(1000)).join()).isGreaterThanOrEqualTo(oldEnd);
      // A checkpoint taken before the damage, pointing into the cut stretch, resumes after it.
      assertThat(textsOf(readAll(log, positions.get(9)))).containsExactly(text(1000));
    }
  }

  @Test
  void anyDamageToTheLastSegmentLeavesAPrefixAndAUsableLog() throws Exception {
    Random random = new Random(20261125);
    for (int round = 0; round < 25; round++) {
      Path roundDir = dir.resolve("round-" + round);
      List<String> written = new ArrayList<>();
      try (WriteAheadLog log = WriteAheadLog.open(roundDir, WalOptions.defaults())) {
        List<java.util.concurrent.CompletableFuture<Long>> appends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          byte[] r = record(i, 10 + random.nextInt(200));
          written.add(new String(r, StandardCharsets.UTF_8));
          appends.add(log.append(r));
        }
        appends.forEach(java.util.concurrent.CompletableFuture::join);
      }
      Path segment = lastSegment(roundDir);
      long size = Files.size(segment);
      switch (random.nextInt(3)) {
        case 0:
          truncate(segment, 20 + random.nextInt((int) size - 20));
          break;
        case 1:
          flipByte(segment, 20 + random.nextInt((int) size - 20));
          break;
        default:
          byte[] garbage = new byte[1 + random.nextInt(300)];
          random.nextBytes(garbage);
          Files.write(segment, garbage, StandardOpenOption.APPEND);
      }
      try (WriteAheadLog log = WriteAheadLog.open(roundDir, WalOptions.defaults())) {
        List<String> survived = textsOf(readAll(log, 0));
        assertThat(written.subList(0, survived.size())).as("round %d", round).isEqualTo(survived);
        log.append(record(1000)).join();
        assertThat(textsOf(readAll(log, 0))).endsWith(text(1000)).hasSize(survived.size() + 1);
      }
      try (WriteAheadLog log = WriteAheadLog.open(roundDir, WalOptions.defaults())) {
        assertThat(log.stats().corruptRecords()).as("round %d", round).isZero();
      }
    }
  }

  @Test
  void aReaderSkipsDamageInTheSegmentBeingWritten() throws Exception {
    try (WriteAheadLog log = WriteAheadLog.open(dir, WalOptions.builder().listener(listener).build())) {
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        positions.add(log.append(record(i)).join());
      }
      flipByte(lastSegment(dir), positions.get(2) + 12); // bit rot under a running log
      log.append(record(5)).join();
      try (WalReader reader = log.reader(0)) {
        assertThat(textOf(reader.next())).isEqualTo(text(0));
        assertThat(textOf(reader.next())).isEqualTo(text(1));
        assertThat(reader.next()).isNull(); // the rest of what was durable is skipped
        assertThat(log.stats().corruptRecords()).isEqualTo(1);
        log.append(record(6)).join();
        assertThat(textOf(reader.next())).isEqualTo(text(6));
      }
    }
  }

  static List<String> texts(int from, int to) {
    List<String> texts = new ArrayList<>();
    for (int i = from; i < to; i++) {
      texts.add(text(i));
    }
    return texts;
  }

  static String text(int i) {
    return new String(record(i), StandardCharsets.UTF_8);
  }

  static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x10);
    }
  }
}
