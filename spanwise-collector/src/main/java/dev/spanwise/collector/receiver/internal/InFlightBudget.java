package dev.spanwise.collector.receiver.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of requests being received, decoded or waiting for their acknowledgement, shared by all
 * receivers of a process. A request reserves its size when it arrives and releases it when it has
 * been answered; when the budget is spent, new requests are refused (503 or gRPC
 * {@code UNAVAILABLE}) before their body is read or decoded.
 */
public final class InFlightBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  public InFlightBudget(long capacity) {
    if (capacity <= 0) throw new IllegalArgumentException("capacity must be > 0: " + capacity);
    this.capacity = capacity;
  }

  public long capacity() {
    return capacity;
  }

  /** Bytes reserved right now. */
  public long used() {
    return used.get();
  }

  /**
   * Heap a request holds per byte of its (decompressed) body while it is handled, until it is
   * known to pass through undecoded ({@link #HELD_PER_PASSED_BYTE}): its spans decoded take about
   * five times the body's size (strings, attribute values, span objects), and
   * the body itself is kept until the write-ahead log has it. Measured on the benchmarks'
   * e-commerce workload; counting bodies alone let hundreds of decoded 1000-span batches pile up,
   * and young collections every quarter second halved the indexer's pace.
   */
  public static final int HELD_PER_BODY_BYTE = 6;

  /**
   * What to reserve for a request whose body is {@code bodyBytes} long: {@link
   * #HELD_PER_BODY_BYTE} times that, but never more than the whole budget, so one request of
   * the largest size is always admitted when nothing else is in flight.
   */
  public long heldFor(long bodyBytes) {
    if (bodyBytes > capacity / HELD_PER_BODY_BYTE) return capacity;
    return bodyBytes * HELD_PER_BODY_BYTE;
  }

  /**
   * Heap a request holds per byte of its body when it was only scanned, not decoded (an OTLP
   * protobuf request with nothing rejected): the body, and the log record that copies it.
   */
  public static final int HELD_PER_PASSED_BYTE = 2;

  /** What a request passed on undecoded holds, {@link #HELD_PER_PASSED_BYTE} times its body. */
  public long heldPassingThrough(long bodyBytes) {
    if (bodyBytes > capacity / HELD_PER_PASSED_BYTE) return capacity;
    return bodyBytes * HELD_PER_PASSED_BYTE;
  }

  /** Reserves {@code bytes}, or returns {@code null} when that would exceed the capacity. */
  public Reservation tryReserve(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
    return tryAcquire(bytes) ? new Reservation(this, bytes) : null;
  }

  boolean tryAcquire(long bytes) {
    while (true) {
      long current = used.get();
      long next = current + bytes;
      if (next > capacity || next < 0) return false;
      if (used.compareAndSet(current, next)) return true;
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }
}
