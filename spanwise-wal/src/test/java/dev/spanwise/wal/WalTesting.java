package dev.spanwise.wal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers shared by the log's tests. */
final class WalTesting {
  private WalTesting() {}

  static byte[] record(int i) {
    return record(i, 40);
  }

  /** A record of about {@code size} bytes whose content says which it is. */
  static byte[] record(int i, int size) {
    StringBuilder s = new StringBuilder("record-").append(i).append('-');
    while (s.length() < size) {
      s.append((char) ('a' + (s.length() + i) % 26));
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String textOf(WalRecord record) {
    return new String(record.payload(), StandardCharsets.UTF_8);
  }

  /** Everything a new reader from {@code from} returns until it catches up. */
  static List<WalRecord> readAll(WriteAheadLog log, long from) throws IOException {
    List<WalRecord> records = new ArrayList<>();
    try (WalReader reader = log.reader(from)) {
      WalRecord r;
      while ((r = reader.next()) != null) {
        records.add(r);
      }
    }
    return records;
  }

  static List<String> textsOf(List<WalRecord> records) {
    return records.stream().map(WalTesting::textOf).collect(Collectors.toList());
  }

  static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted()
          .collect(Collectors.toList());
    }
  }

  static Path lastSegment(Path dir) throws IOException {
    List<Path> files = segmentFiles(dir);
    return files.get(files.size() - 1);
  }
}
