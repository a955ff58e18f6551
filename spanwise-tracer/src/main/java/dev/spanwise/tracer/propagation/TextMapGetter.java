package dev.spanwise.tracer.propagation;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads string fields from a carrier such as HTTP request headers. */
public interface TextMapGetter<C> {
  /** All field names (used by propagators that read prefixed fields, such as {@code uberctx-}). */
  Iterable<String> keys(C carrier);

  /** The value of {@code key} (matched case-insensitively for HTTP headers), or null. */
  String get(C carrier, String key);

  /**
   * Every value of {@code key} when the carrier can repeat a field (HTTP headers), or null (the
   * default) when the carrier cannot repeat fields and {@link #get} is the whole answer.
   */
  default Iterator<String> getAll(C carrier, String key) {
    return null;
  }

  /** A getter for a {@code Map<String, String>}, matching keys case-insensitively. */
  static TextMapGetter<Map<String, String>> forMap() {
    return MapGetter.INSTANCE;
  }

  /**
   * A getter for a {@code Map<String, List<String>>} (for example JDK HTTP server headers),
   * matching keys case-insensitively and exposing repeated values.
   */
  static TextMapGetter<Map<String, List<String>>> forMultiMap() {
    return MultiMapGetter.INSTANCE;
  }
}

final class MapGetter implements TextMapGetter<Map<String, String>> {
  static final MapGetter INSTANCE = new MapGetter();

  @Override
  public Iterable<String> keys(Map<String, String> carrier) {
    return carrier.keySet();
  }

  @Override
  public String get(Map<String, String> carrier, String key) {
    if (carrier == null) {
      return null;
    }
    String value = carrier.get(key);
    if (value != null) {
      return value;
    }
    for (Map.Entry<String, String> e : carrier.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }
}

final class MultiMapGetter implements TextMapGetter<Map<String, List<String>>> {
  static final MultiMapGetter INSTANCE = new MultiMapGetter();

  @Override
  public Iterable<String> keys(Map<String, List<String>> carrier) {
    return carrier.keySet();
  }

  private static List<String> values(Map<String, List<String>> carrier, String key) {
    if (carrier == null) {
      return null;
    }
    List<String> values = carrier.get(key);
    if (values != null) {
      return values;
    }
    for (Map.Entry<String, List<String>> e : carrier.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  public String get(Map<String, List<String>> carrier, String key) {
    List<String> values = values(carrier, key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public Iterator<String> getAll(Map<String, List<String>> carrier, String key) {
    List<String> values = values(carrier, key);
    return values == null ? Collections.emptyIterator() : values.iterator();
  }
}
