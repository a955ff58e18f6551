package dev.spanwise.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A FileChannel that forwards to a real one, but can fail writes or fsyncs, or hold fsyncs. */
final class FaultyChannel extends FileChannel {
  /** Shared switches, so that a test can flip them for channels the log opens later. */
  static final class Faults {
    /** Positional writes left that fail after writing half their bytes ("No space left"). */
    final AtomicInteger failWrites = new AtomicInteger();
    /** Fsyncs left that fail. */
    final AtomicInteger failForces = new AtomicInteger();
    /** Fsyncs wait on this latch while it is set. */
    volatile CountDownLatch holdForces;
    final AtomicInteger forces = new AtomicInteger();
    /** Fsyncs started (counted before waiting on {@link #holdForces}). */
    final AtomicInteger entered = new AtomicInteger();
  }

  private final FileChannel delegate;
  private final Faults faults;

  FaultyChannel(FileChannel delegate, Faults faults) {
    this.delegate = delegate;
    this.faults = faults;
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (faults.failWrites.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      ByteBuffer half = src.duplicate();
      half.limit(src.position() + Math.max(1, src.remaining() / 2));
      delegate.write(half, position);
      throw new IOException("No space left on device");
    }
    return delegate.write(src, position);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    faults.entered.incrementAndGet();
    CountDownLatch hold = faults.holdForces;
    if (hold != null) {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    faults.forces.incrementAndGet();
    if (faults.failForces.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      throw new IOException("Input/output error");
    }
    delegate.force(metaData);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return delegate.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return delegate.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    delegate.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
