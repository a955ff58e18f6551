package dev.spanwise.tracer.propagation;

import java.util.Map;

/** Writes string fields into a carrier such as HTTP request headers. */
@FunctionalInterface
public interface TextMapSetter<C> {
  void set(C carrier, String key, String value);

  /** A setter for a {@code Map<String, String>}. */
  static TextMapSetter<Map<String, String>> forMap() {
    return Map::put;
  }
}
