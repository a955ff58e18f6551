package dev.spanwise.examples.shop;

/**
 * Called from the inventory database (H2 alias {@code LOCK_WAIT}): the planted bottleneck, a row
 * lock held by another transaction. Public because H2 calls it reflectively.
 */
public final class InventoryLocks {
  private InventoryLocks() {}

  public static int lockWait(int millis) throws InterruptedException {
    Thread.sleep(millis);
    return millis;
  }
}
