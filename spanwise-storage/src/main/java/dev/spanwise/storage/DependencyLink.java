package dev.spanwise.storage;

import java.util.Objects;

/** Calls from one service to another over a time range. */
public final class DependencyLink implements Comparable<DependencyLink> {
  private final String parent;
  private final String child;
  private final long callCount;
  private final long errorCount;

  private DependencyLink(String parent, String child, long callCount, long errorCount) {
    this.parent = Objects.requireNonNull(parent, "parent");
    this.child = Objects.requireNonNull(child, "child");
    this.callCount = callCount;
    this.errorCount = errorCount;
  }

  public static DependencyLink of(String parent, String child, long callCount, long errorCount) {
    return new DependencyLink(parent, child, callCount, errorCount);
  }

  /** The calling service. */
  public String parent() {
    return parent;
  }

  /** The called service. */
  public String child() {
    return child;
  }

  public long callCount() {
    return callCount;
  }

  public long errorCount() {
    return errorCount;
  }

  @Override
  public int compareTo(DependencyLink o) {
    int c = parent.compareTo(o.parent);
    return c != 0 ? c : child.compareTo(o.child);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DependencyLink)) return false;
    DependencyLink that = (DependencyLink) o;
    return parent.equals(that.parent) && child.equals(that.child)
        && callCount == that.callCount && errorCount == that.errorCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(parent, child, callCount, errorCount);
  }

  @Override
  public String toString() {
    return parent + "->" + child + " calls=" + callCount + " errors=" + errorCount;
  }
}
