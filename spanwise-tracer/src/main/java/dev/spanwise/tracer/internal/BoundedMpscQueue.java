package dev.spanwise.tracer.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free, allocation-free queue for many producers and one consumer. {@link
 * #offer} never blocks: it returns false when the queue is full.
 */
public final class BoundedMpscQueue<E> {
  private final AtomicReferenceArray<E> buffer;
  private final int mask;
  private final int capacity;
  private final AtomicLong producerIndex = new AtomicLong();
  private final AtomicLong consumerIndex = new AtomicLong();

  public BoundedMpscQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    int size = Integer.highestOneBit(capacity);
    if (size < capacity) {
      size <<= 1;
    }
    this.buffer = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }

  /** Adds {@code e} unless the queue is full. Safe from any thread. */
  public boolean offer(E e) {
    while (true) {
      long p = producerIndex.get();
      if (p - consumerIndex.get() >= capacity) {
        return false;
      }
      if (producerIndex.compareAndSet(p, p + 1)) {
        buffer.lazySet((int) (p & mask), e);
        return true;
      }
    }
  }

  /** Approximate number of queued elements. */
  public int size() {
    long size = producerIndex.get() - consumerIndex.get();
    return (int) Math.max(0, Math.min(size, capacity));
  }

  /** Removes and returns the head, or null. Consumer thread only. */
  public E poll() {
    long c = consumerIndex.get();
    int index = (int) (c & mask);
    E e = buffer.get(index);
    if (e == null) {
      if (c == producerIndex.get()) {
        return null;
      }
      // a producer claimed the slot but has not stored yet
      do {
        Thread.onSpinWait();
        e = buffer.get(index);
      } while (e == null);
    }
    buffer.lazySet(index, null);
    consumerIndex.lazySet(c + 1);
    return e;
  }

  /** Moves up to {@code max} elements into {@code out}; returns how many. Consumer thread only. */
  public int drainTo(List<? super E> out, int max) {
    int n = 0;
    while (n < max) {
      E e = poll();
      if (e == null) {
        break;
      }
      out.add(e);
      n++;
    }
    return n;
  }
}
