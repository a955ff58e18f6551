package dev.spanwise.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  @Test
  void absentUntilWrittenThenHoldsTheLastWrite() throws Exception {
    Checkpoint checkpoint = Checkpoint.at(dir.resolve("indexer.checkpoint"));
    assertThat(checkpoint.read()).isEmpty();
    checkpoint.write(1234);
    assertThat(checkpoint.read()).hasValue(1234);
    checkpoint.write(99_999_999_999L);
    assertThat(Checkpoint.at(dir.resolve("indexer.checkpoint")).read()).hasValue(99_999_999_999L);
    assertThat(Files.size(checkpoint.file())).isEqualTo(20);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(checkpoint.file()); // no temporary file left behind
    }
  }

  @Test
  void aWriteInterruptedBeforeItsRenameLeavesTheOldValue() throws Exception {
    Checkpoint checkpoint = Checkpoint.at(dir.resolve("indexer.checkpoint"));
    checkpoint.write(500);
    // A crash while writing the temporary file: a partial temp file next to the real one.
    Files.write(dir.resolve("indexer.checkpoint.tmp"), new byte[] {0x53, 0x57, 0x43});
    assertThat(checkpoint.read()).hasValue(500);
    checkpoint.write(600);
    assertThat(checkpoint.read()).hasValue(600);
  }

  @Test
  void aDamagedFileIsReportedNamingIt() throws Exception {
    Checkpoint checkpoint = Checkpoint.at(dir.resolve("indexer.checkpoint"));
    checkpoint.write(777);
    try (RandomAccessFile f = new RandomAccessFile(checkpoint.file().toFile(), "rw")) {
      f.seek(12);
      f.write(0x7f);
    }
    assertThatThrownBy(checkpoint::read).isInstanceOf(IOException.class)
        .hasMessageContaining("indexer.checkpoint").hasMessageContaining("damaged");
    Files.write(checkpoint.file(), new byte[3]);
    assertThatThrownBy(checkpoint::read).isInstanceOf(IOException.class)
        .hasMessageContaining("3 bytes");
    checkpoint.write(778);
    assertThat(checkpoint.read()).hasValue(778);
  }
}
