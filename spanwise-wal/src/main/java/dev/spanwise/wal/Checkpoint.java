package dev.spanwise.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The position a consumer of the log has processed, kept in a small file. {@link #write} replaces
 * the file atomically (write a temporary file, fsync it, rename it over the old one, fsync the
 * directory), so after a crash the file holds either the old or the new position, never a mix.
 *
 * <p>File layout (20 bytes, big-endian): magic "SWCP" | version 1 | position (long) | CRC32C.
 */
public final class Checkpoint {
  private static final int MAGIC = 0x53574350; // "SWCP"
  private static final int VERSION = 1;
  private static final int BYTES = 20;

  private final Path file;

  private Checkpoint(Path file) {
    this.file = file;
  }

  /** The checkpoint kept in {@code file} (which need not exist yet). */
  public static Checkpoint at(Path file) {
    Objects.requireNonNull(file, "file");
    if (file.getFileName() == null) {
      throw new IllegalArgumentException("file must name a file: " + file);
    }
    return new Checkpoint(file);
  }

  public Path file() {
    return file;
  }

  /**
   * The stored position, or empty if none was ever written.
   *
   * @throws IOException if the file cannot be read or is damaged (the message names the file)
   */
  public OptionalLong read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    if (bytes.length != BYTES) {
      throw new IOException("checkpoint " + file + " has " + bytes.length + " bytes, not " + BYTES);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt(0) != MAGIC || b.getInt(4) != VERSION || b.getInt(16) != crc(bytes)) {
      throw new IOException("checkpoint " + file + " is damaged (bad magic, version or checksum)");
    }
    return OptionalLong.of(b.getLong(8));
  }

  /** Durably replaces the stored position with {@code position}. */
  public void write(long position) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.putInt(MAGIC).putInt(VERSION).putLong(position);
    b.putInt(crc(b.array()));
    b.flip();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) {
        channel.write(b);
      }
      channel.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    Path dir = file.toAbsolutePath().getParent();
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Not every platform can sync a directory.
    }
  }

  private static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 16);
    return (int) crc.getValue();
  }

  @Override
  public String toString() {
    return "Checkpoint{" + file + "}";
  }
}
