package dev.spanwise.tracer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable name/value pairs that travel with the context across processes (W3C Baggage,
 * Jaeger {@code uberctx-*}). Each entry may carry metadata (W3C properties, kept verbatim).
 */
public final class Baggage {
  private static final Baggage EMPTY = new Baggage(new String[0]);

  // key, value, metadata triples in insertion order
  private final String[] entries;

  private Baggage(String[] entries) {
    this.entries = entries;
  }

  public static Baggage empty() {
    return EMPTY;
  }

  /** The current context's baggage. */
  public static Baggage current() {
    return Context.current().baggage();
  }

  public boolean isEmpty() {
    return entries.length == 0;
  }

  public int size() {
    return entries.length / 3;
  }

  /** The value for {@code key}, or null. */
  public String get(String key) {
    int i = indexOf(key);
    return i < 0 ? null : entries[i + 1];
  }

  /** The metadata (W3C properties) for {@code key}, or null. */
  public String metadata(String key) {
    int i = indexOf(key);
    return i < 0 ? null : entries[i + 2];
  }

  public String key(int index) {
    return entries[index * 3];
  }

  public String value(int index) {
    return entries[index * 3 + 1];
  }

  /** May be null. */
  public String metadata(int index) {
    return entries[index * 3 + 2];
  }

  private int indexOf(String key) {
    for (int i = 0; i < entries.length; i += 3) {
      if (entries[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** A baggage with {@code key} set; a null key or value returns this unchanged. */
  public Baggage with(String key, String value) {
    return with(key, value, null);
  }

  public Baggage with(String key, String value, String metadata) {
    if (key == null || key.isEmpty() || value == null) {
      return this;
    }
    List<String> list = new ArrayList<>(entries.length + 3);
    boolean replaced = false;
    for (int i = 0; i < entries.length; i += 3) {
      if (entries[i].equals(key)) {
        list.add(key);
        list.add(value);
        list.add(metadata);
        replaced = true;
      } else {
        list.add(entries[i]);
        list.add(entries[i + 1]);
        list.add(entries[i + 2]);
      }
    }
    if (!replaced) {
      list.add(key);
      list.add(value);
      list.add(metadata);
    }
    return new Baggage(list.toArray(new String[0]));
  }

  public Baggage without(String key) {
    if (indexOf(key) < 0) {
      return this;
    }
    List<String> list = new ArrayList<>(entries.length);
    for (int i = 0; i < entries.length; i += 3) {
      if (!entries[i].equals(key)) {
        list.add(entries[i]);
        list.add(entries[i + 1]);
        list.add(entries[i + 2]);
      }
    }
    return list.isEmpty() ? EMPTY : new Baggage(list.toArray(new String[0]));
  }

  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i += 3) {
      map.put(entries[i], entries[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Baggage && java.util.Arrays.equals(entries, ((Baggage) o).entries);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(entries);
  }

  @Override
  public String toString() {
    return "Baggage" + asMap();
  }
}
