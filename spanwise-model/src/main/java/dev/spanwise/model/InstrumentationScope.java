package dev.spanwise.model;

import java.util.Objects;

/** The library that recorded a span (OTLP {@code InstrumentationScope}). */
public final class InstrumentationScope {
  public static final InstrumentationScope EMPTY =
      new InstrumentationScope("", "", Attributes.EMPTY);

  private final String name;
  private final String version;
  private final Attributes attributes;

  private InstrumentationScope(String name, String version, Attributes attributes) {
    this.name = name;
    this.version = version;
    this.attributes = attributes;
  }

  public static InstrumentationScope of(String name, String version, Attributes attributes) {
    name = name == null ? "" : name;
    version = version == null ? "" : version;
    Objects.requireNonNull(attributes, "attributes");
    if (name.isEmpty() && version.isEmpty() && attributes.isEmpty()) return EMPTY;
    return new InstrumentationScope(name, version, attributes);
  }

  public static InstrumentationScope of(String name, String version) {
    return of(name, version, Attributes.EMPTY);
  }

  /** Never null; empty when absent. */
  public String name() {
    return name;
  }

  /** Never null; empty when absent. */
  public String version() {
    return version;
  }

  public Attributes attributes() {
    return attributes;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof InstrumentationScope)) return false;
    InstrumentationScope that = (InstrumentationScope) o;
    return name.equals(that.name) && version.equals(that.version)
        && attributes.equals(that.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, attributes);
  }

  @Override
  public String toString() {
    return "InstrumentationScope{" + name + (version.isEmpty() ? "" : "@" + version) + "}";
  }
}
