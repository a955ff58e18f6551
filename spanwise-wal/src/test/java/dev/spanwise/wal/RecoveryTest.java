package dev.spanwise.wal;

import static dev.spanwise.wal.WalTesting.lastSegment;
import static dev.spanwise.wal.WalTesting.readAll;
import static dev.spanwise.wal.WalTesting.record;
import static dev.spanwise.wal.WalTesting.segmentFiles;
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
