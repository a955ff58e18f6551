package dev.spanwise.collector.receiver.internal;

/**
 * The share of an {@link InFlightBudget} held by one request. It can grow (while a gzip body is
 * inflated) or shrink (once the real size is known), and is released exactly once by
 * {@link #close()}. Thread-safe.
 */
public final class Reservation implements AutoCloseable {
  private final InFlightBudget budget;
  private long held;
  private boolean closed;

  Reservation(InFlightBudget budget, long held) {
    this.budget = budget;
    this.held = held;
  }

  /** Bytes held now. */
  public synchronized long held() {
    return held;
  }

  /**
   * Makes this reservation hold exactly {@code bytes}. Shrinking always succeeds; growing returns
   * {@code false}, holding what it held before, when the budget cannot give the difference.
   */
  public synchronized boolean resize(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
    if (closed) return false;
    long delta = bytes - held;
    if (delta > 0 && !budget.tryAcquire(delta)) return false;
    if (delta < 0) budget.release(-delta);
    held = bytes;
    return true;
  }

  /** Grows to at least {@code bytes}; {@code false} when the budget cannot give it. */
  public synchronized boolean ensure(long bytes) {
    return bytes <= held || resize(bytes);
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    budget.release(held);
    held = 0;
  }
}
