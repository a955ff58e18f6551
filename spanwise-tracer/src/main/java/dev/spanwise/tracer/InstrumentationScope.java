package dev.spanwise.tracer;

import java.util.Objects;

/** The library that created a span (OTLP instrumentation scope). */
public final class InstrumentationScope {
  private final String name;
  private final String version;

  private InstrumentationScope(String name, String version) {
    this.name = name;
    this.version = version;
  }

  /** {@code version} may be null. */
  public static InstrumentationScope create(String name, String version) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("instrumentation scope name must not be empty");
    }
    return new InstrumentationScope(name, version);
  }

  public String name() {
    return name;
  }

  /** May be null. */
  public String version() {
    return version;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InstrumentationScope)) {
      return false;
    }
    InstrumentationScope that = (InstrumentationScope) o;
    return name.equals(that.name) && Objects.equals(version, that.version);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Objects.hashCode(version);
  }

  @Override
  public String toString() {
    return version == null ? name : name + "@" + version;
  }
}
