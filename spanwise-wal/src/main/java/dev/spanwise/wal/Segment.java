package dev.spanwise.wal;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** One segment file and how much of it is durable. Shared by the writer and readers. */
final class Segment {
  final long base;
  final Path path;
  /** File offset up to which records are durable; readers never read past it. */
  volatile long durableLength;
  /** Set once no record will be added; {@link #durableLength} is then final. */
  volatile boolean sealed;
  /** The writer's channel; only the writer thread (and open/close) touches it. */
  FileChannel channel;

  Segment(long base, Path path, long durableLength, boolean sealed) {
    this.base = base;
    this.path = path;
    this.durableLength = durableLength;
    this.sealed = sealed;
  }

  @Override
  public String toString() {
    return path.getFileName() + "[" + durableLength + (sealed ? ", sealed]" : "]");
  }
}
