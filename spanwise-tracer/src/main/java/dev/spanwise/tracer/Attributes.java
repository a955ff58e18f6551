package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.AttributeValues;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable, ordered set of typed attributes. Values are {@code String}, {@code Boolean},
 * {@code Long}, {@code Double}, or an unmodifiable {@code List} of one of those.
 */
public final class Attributes {
  private static final Attributes EMPTY = new Attributes(new String[0], new Object[0], 0);

  private final String[] keys;
  private final Object[] values;
  private final int size;

  private Attributes(String[] keys, Object[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  public static Attributes empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Shorthand for one string attribute. */
  public static Attributes of(String key, String value) {
    return builder().put(key, value).build();
  }

  /** Shorthand for two string attributes. */
  public static Attributes of(String key1, String value1, String key2, String value2) {
    return builder().put(key1, value1).put(key2, value2).build();
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public String key(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " >= size " + size);
    }
    return keys[index];
  }

  public Object value(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " >= size " + size);
    }
    return values[index];
  }

  /** The value for {@code key}, or null. */
  public Object get(String key) {
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return values[i];
      }
    }
    return null;
  }

  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      map.put(keys[i], values[i]);
    }
    return Collections.unmodifiableMap(map);
  }

  /**
   * A copy keeping at most {@code maxCount} attributes with strings cut to {@code maxLength};
   * this instance when nothing needs cutting.
   */
  public Attributes limit(int maxCount, int maxLength) {
    boolean cut = size > maxCount;
    if (!cut && maxLength == Integer.MAX_VALUE) {
      return this;
    }
    int n = Math.min(size, maxCount);
    Object[] newValues = new Object[n];
    boolean changed = cut;
    for (int i = 0; i < n; i++) {
      newValues[i] = AttributeValues.truncate(values[i], maxLength);
      changed |= newValues[i] != values[i];
    }
    return changed ? new Attributes(Arrays.copyOf(keys, n), newValues, n) : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes && asMap().equals(((Attributes) o).asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  /** Builds {@link Attributes}; a later value for the same key replaces the earlier one. */
  public static final class Builder {
    private String[] keys = new String[4];
    private Object[] values = new Object[4];
    private int size;

    private Builder() {}

    public Builder put(String key, String value) {
      return putObject(key, value);
    }

    public Builder put(String key, long value) {
      return putObject(key, value);
    }

    public Builder put(String key, double value) {
      return putObject(key, value);
    }

    public Builder put(String key, boolean value) {
      return putObject(key, value);
    }

    public Builder put(String key, String[] values) {
      return putObject(key, AttributeValues.list(values));
    }

    public Builder put(String key, long[] values) {
      return putObject(key, AttributeValues.list(values));
    }

    public Builder put(String key, double[] values) {
      return putObject(key, AttributeValues.list(values));
    }

    public Builder put(String key, boolean[] values) {
      return putObject(key, AttributeValues.list(values));
    }

    /** Any supported value type (also Integer, Float, and lists of supported types). */
    public Builder putObject(String key, Object value) {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("attribute key must not be null or empty");
      }
      Object normalized = AttributeValues.normalize(value);
      if (normalized == null) {
        throw new IllegalArgumentException("attribute " + key + " has an unsupported value: " + value);
      }
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          values[i] = normalized;
          return this;
        }
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = normalized;
      size++;
      return this;
    }

    public Builder putAll(Attributes attributes) {
      for (int i = 0; i < attributes.size; i++) {
        putObject(attributes.keys[i], attributes.values[i]);
      }
      return this;
    }

    public Attributes build() {
      return size == 0 ? EMPTY : new Attributes(Arrays.copyOf(keys, size), Arrays.copyOf(values, size), size);
    }
  }
}
