package dev.spanwise.model;

import java.util.Objects;

/** The entity producing spans (a service instance): its attributes, {@code service.name} first. */
public final class Resource {
  public static final String SERVICE_NAME = "service.name";
  /** The service name OpenTelemetry SDKs use when none is configured. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  public static final Resource EMPTY = new Resource(Attributes.EMPTY, 0);

  private final Attributes attributes;
  private final int droppedAttributesCount;
  /** Found once: every span of the resource asks for it, at ingest and in every query answer. */
  private final String serviceName;

  private Resource(Attributes attributes, int droppedAttributesCount) {
    this.attributes = attributes;
    this.droppedAttributesCount = droppedAttributesCount;
    String name = attributes.getString(SERVICE_NAME);
    this.serviceName = name == null || name.isEmpty() ? UNKNOWN_SERVICE : name;
  }

  public static Resource of(Attributes attributes) {
    return of(attributes, 0);
  }

  public static Resource of(Attributes attributes, int droppedAttributesCount) {
    Objects.requireNonNull(attributes, "attributes");
    if (attributes.isEmpty() && droppedAttributesCount == 0) return EMPTY;
    return new Resource(attributes, droppedAttributesCount);
  }

  /** A resource with only {@code service.name}. */
  public static Resource ofServiceName(String serviceName) {
    return of(Attributes.of(SERVICE_NAME, serviceName));
  }

  public Attributes attributes() {
    return attributes;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  /** {@code service.name}, or {@value #UNKNOWN_SERVICE} when absent or empty. */
  public String serviceName() {
    return serviceName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resource
        && ((Resource) o).attributes.equals(attributes)
        && ((Resource) o).droppedAttributesCount == droppedAttributesCount;
  }

  @Override
  public int hashCode() {
    return attributes.hashCode() * 31 + droppedAttributesCount;
  }

  @Override
  public String toString() {
    return "Resource" + attributes;
  }
}
