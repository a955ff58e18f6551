package dev.spanwise.tracer;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Objects;

/** The entity producing spans: {@code service.name}, host, process and SDK attributes. */
public final class Resource {
  /** This library's version, as reported in {@code telemetry.sdk.version}. */
  public static final String SDK_VERSION = "0.1.0";

  private final Attributes attributes;

  private Resource(Attributes attributes) {
    this.attributes = attributes;
  }

  public static Resource create(Attributes attributes) {
    return new Resource(Objects.requireNonNull(attributes, "attributes"));
  }

  /**
   * The default resource: {@code service.name} (given, else {@code unknown_service:java}),
   * {@code telemetry.sdk.*}, {@code host.name}, {@code process.pid}, {@code process.runtime.*}.
   */
  public static Resource defaultFor(String serviceName) {
    Attributes.Builder b = Attributes.builder();
    b.put("service.name", serviceName == null || serviceName.isEmpty()
        ? "unknown_service:java" : serviceName);
    b.put("telemetry.sdk.name", "spanwise");
    b.put("telemetry.sdk.language", "java");
    b.put("telemetry.sdk.version", SDK_VERSION);
    String host = hostName();
    if (host != null) {
      b.put("host.name", host);
    }
    long pid = pid();
    if (pid > 0) {
      b.put("process.pid", pid);
    }
    b.put("process.runtime.name", String.valueOf(System.getProperty("java.runtime.name")));
    b.put("process.runtime.version", String.valueOf(System.getProperty("java.runtime.version")));
    return new Resource(b.build());
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception | Error e) {
      return null;
    }
  }

  private static long pid() {
    try {
      return ProcessHandle.current().pid();
    } catch (Exception | Error e) {
      String name = ManagementFactory.getRuntimeMXBean().getName();
      int at = name.indexOf('@');
      try {
        return at > 0 ? Long.parseLong(name.substring(0, at)) : -1;
      } catch (NumberFormatException nfe) {
        return -1;
      }
    }
  }

  public Attributes attributes() {
    return attributes;
  }

  /** The value of {@code service.name}. */
  public String serviceName() {
    Object name = attributes.get("service.name");
    return name == null ? "unknown_service:java" : name.toString();
  }

  /** A resource with {@code other}'s attributes added, {@code other} winning on conflicts. */
  public Resource merge(Resource other) {
    return new Resource(Attributes.builder().putAll(attributes).putAll(other.attributes).build());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resource && attributes.equals(((Resource) o).attributes);
  }

  @Override
  public int hashCode() {
    return attributes.hashCode();
  }

  @Override
  public String toString() {
    return "Resource" + attributes;
  }
}
