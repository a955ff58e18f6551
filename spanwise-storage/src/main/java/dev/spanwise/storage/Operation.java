package dev.spanwise.storage;

import dev.spanwise.model.SpanKind;
import java.util.Objects;

/** A span name as seen for a service, with the span kind it was seen with. */
public final class Operation implements Comparable<Operation> {
  private final String name;
  private final SpanKind kind;

  private Operation(String name, SpanKind kind) {
    this.name = Objects.requireNonNull(name, "name");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public static Operation of(String name, SpanKind kind) {
    return new Operation(name, kind);
  }

  public String name() {
    return name;
  }

  public SpanKind kind() {
    return kind;
  }

  @Override
  public int compareTo(Operation o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : kind.compareTo(o.kind);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Operation && ((Operation) o).name.equals(name)
        && ((Operation) o).kind == kind;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + kind.hashCode();
  }

  @Override
  public String toString() {
    return name + "(" + kind + ")";
  }
}
