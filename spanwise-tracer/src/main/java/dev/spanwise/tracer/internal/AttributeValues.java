package dev.spanwise.tracer.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Normalises and truncates attribute values. */
public final class AttributeValues {
  private AttributeValues() {}

  /**
   * Returns the canonical form of {@code value} (String, Boolean, Long, Double or an unmodifiable
   * list of one of them), or null when the type is not supported.
   */
  public static Object normalize(Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof String[]) {
      return list((String[]) value);
    }
    if (value instanceof long[]) {
      return list((long[]) value);
    }
    if (value instanceof double[]) {
      return list((double[]) value);
    }
    if (value instanceof boolean[]) {
      return list((boolean[]) value);
    }
    if (value instanceof List) {
      List<?> in = (List<?>) value;
      List<Object> out = new ArrayList<>(in.size());
      Class<?> type = null;
      for (Object element : in) {
        Object n = normalize(element);
        if (n == null || n instanceof List || (type != null && n.getClass() != type)) {
          return null;
        }
        type = n.getClass();
        out.add(n);
      }
      return Collections.unmodifiableList(out);
    }
    return null;
  }

  public static List<String> list(String[] values) {
    List<String> out = new ArrayList<>(values.length);
    for (String v : values) {
      out.add(v == null ? "" : v);
    }
    return Collections.unmodifiableList(out);
  }

  public static List<Long> list(long[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (long v : values) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }

  public static List<Double> list(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }

  public static List<Boolean> list(boolean[] values) {
    List<Boolean> out = new ArrayList<>(values.length);
    for (boolean v : values) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }

  /** Cuts strings (also inside string lists) to {@code maxLength} characters. */
  public static Object truncate(Object value, int maxLength) {
    if (maxLength == Integer.MAX_VALUE) {
      return value;
    }
    if (value instanceof String) {
      String s = (String) value;
      return s.length() > maxLength ? s.substring(0, maxLength) : s;
    }
    if (value instanceof List && !((List<?>) value).isEmpty()
        && ((List<?>) value).get(0) instanceof String) {
      List<?> in = (List<?>) value;
      boolean cut = false;
      for (Object o : in) {
        cut |= ((String) o).length() > maxLength;
      }
      if (!cut) {
        return value;
      }
      List<String> out = new ArrayList<>(in.size());
      for (Object o : in) {
        String s = (String) o;
        out.add(s.length() > maxLength ? s.substring(0, maxLength) : s);
      }
      return Collections.unmodifiableList(out);
    }
    return value;
  }
}
