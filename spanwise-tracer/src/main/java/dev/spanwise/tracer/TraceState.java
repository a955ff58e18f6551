package dev.spanwise.tracer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W3C {@code tracestate}: an ordered list of vendor entries, at most 32. Immutable; {@link
 * #put} moves the updated key to the front, as the specification's mutation rules require.
 */
public final class TraceState {
  /** Maximum number of list members. */
  public static final int MAX_MEMBERS = 32;

  private static final TraceState EMPTY = new TraceState(new String[0]);

  // key0, value0, key1, value1, ... leftmost (most recent) first
  private final String[] entries;

  private TraceState(String[] entries) {
    this.entries = entries;
  }

  public static TraceState empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return entries.length == 0;
  }

  public int size() {
    return entries.length / 2;
  }

  /** The value for {@code key}, or null. */
  public String get(String key) {
    for (int i = 0; i < entries.length; i += 2) {
      if (entries[i].equals(key)) {
        return entries[i + 1];
      }
    }
    return null;
  }

  /**
   * Adds or updates {@code key}, moving it to the front. Returns this unchanged when the key or
   * value is invalid. When the state is full the rightmost entry is dropped.
   */
  public TraceState put(String key, String value) {
    if (!isValidKey(key) || !isValidValue(value)) {
      return this;
    }
    List<String> list = new ArrayList<>(entries.length + 2);
    list.add(key);
    list.add(value);
    for (int i = 0; i < entries.length; i += 2) {
      if (!entries[i].equals(key)) {
        list.add(entries[i]);
        list.add(entries[i + 1]);
      }
    }
    while (list.size() > MAX_MEMBERS * 2) {
      list.remove(list.size() - 1);
      list.remove(list.size() - 1);
    }
    return new TraceState(list.toArray(new String[0]));
  }

  /** Removes {@code key}; returns this when it is absent. */
  public TraceState remove(String key) {
    if (get(key) == null) {
      return this;
    }
    List<String> list = new ArrayList<>(entries.length);
    for (int i = 0; i < entries.length; i += 2) {
      if (!entries[i].equals(key)) {
        list.add(entries[i]);
        list.add(entries[i + 1]);
      }
    }
    return list.isEmpty() ? EMPTY : new TraceState(list.toArray(new String[0]));
  }

  /** Entries in order, leftmost first. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i += 2) {
      map.put(entries[i], entries[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  /** The W3C header form: {@code k1=v1,k2=v2}. */
  public String toHeader() {
    if (entries.length == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder(entries.length * 8);
    for (int i = 0; i < entries.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(entries[i]).append('=').append(entries[i + 1]);
    }
    return sb.toString();
  }

  /**
   * Parses a header value (several headers joined with commas). Returns null when the value is
   * invalid as a whole (bad member, duplicate key, more than 32 members); empty members are
   * allowed and skipped.
   */
  public static TraceState parse(String header) {
    if (header == null) {
      return null;
    }
    List<String> list = new ArrayList<>();
    int length = header.length();
    int start = 0;
    while (start <= length) {
      int comma = header.indexOf(',', start);
      int end = comma < 0 ? length : comma;
      int from = start;
      int to = end;
      while (from < to && (header.charAt(from) == ' ' || header.charAt(from) == '\t')) {
        from++;
      }
      while (to > from && (header.charAt(to - 1) == ' ' || header.charAt(to - 1) == '\t')) {
        to--;
      }
      if (from < to) {
        int eq = header.indexOf('=', from);
        if (eq < 0 || eq >= to) {
          return null;
        }
        String key = header.substring(from, eq);
        String value = header.substring(eq + 1, to);
        if (!isValidKey(key) || !isValidValue(value)) {
          return null;
        }
        for (int i = 0; i < list.size(); i += 2) {
          if (list.get(i).equals(key)) {
            return null;
          }
        }
        list.add(key);
        list.add(value);
        if (list.size() > MAX_MEMBERS * 2) {
          return null;
        }
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
    return list.isEmpty() ? EMPTY : new TraceState(list.toArray(new String[0]));
  }

  /**
   * Simple key {@code [a-z][_0-9a-z-*\/]{0,255}} or multi-tenant {@code tenant@system} where the
   * tenant may start with a digit (W3C Trace Context level 1).
   */
  static boolean isValidKey(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    int at = key.indexOf('@');
    if (at < 0) {
      return key.length() <= 256 && isKeyPart(key, 0, key.length(), false);
    }
    if (key.indexOf('@', at + 1) >= 0) {
      return false;
    }
    int tenantLength = at;
    int systemLength = key.length() - at - 1;
    return tenantLength >= 1 && tenantLength <= 241 && systemLength >= 1 && systemLength <= 14
        && isKeyPart(key, 0, at, true) && isKeyPart(key, at + 1, key.length(), false);
  }

  private static boolean isKeyPart(String key, int from, int to, boolean digitFirst) {
    char first = key.charAt(from);
    if (!((first >= 'a' && first <= 'z') || (digitFirst && first >= '0' && first <= '9'))) {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
          || c == '*' || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Up to 256 printable ASCII characters except {@code ,} and {@code =}, not ending in space. */
  static boolean isValidValue(String value) {
    if (value == null || value.isEmpty() || value.length() > 256) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
        return false;
      }
    }
    return value.charAt(value.length() - 1) != ' ';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceState && java.util.Arrays.equals(entries, ((TraceState) o).entries);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(entries);
  }

  @Override
  public String toString() {
    return toHeader();
  }
}
