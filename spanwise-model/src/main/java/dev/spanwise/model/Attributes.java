package dev.spanwise.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An immutable, insertion-ordered set of key/value attributes with unique keys. Held as parallel
 * arrays: attribute sets are small and iterated far more often than looked up.
 */
public final class Attributes {
  private static final String[] NO_KEYS = new String[0];
  private static final AttributeValue[] NO_VALUES = new AttributeValue[0];
  public static final Attributes EMPTY = new Attributes(NO_KEYS, NO_VALUES);

  private final String[] keys;
  private final AttributeValue[] values;

  private Attributes(String[] keys, AttributeValue[] values) {
    this.keys = keys;
    this.values = values;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static Attributes of(String key, String value) {
    return builder().put(key, value).build();
  }

  public static Attributes of(String k1, String v1, String k2, String v2) {
    return builder().put(k1, v1).put(k2, v2).build();
  }

  public int size() {
    return keys.length;
  }

  public boolean isEmpty() {
    return keys.length == 0;
  }

  public String key(int index) {
    return keys[index];
  }

  public AttributeValue value(int index) {
    return values[index];
  }

  /** The value of {@code key}, or null. */
  public AttributeValue get(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) return values[i];
    }
    return null;
  }

  /** The value of {@code key} if it is a string, or null. */
  public String getString(String key) {
    AttributeValue v = get(key);
    return v != null && v.type() == AttributeType.STRING ? v.stringValue() : null;
  }

  public void forEach(BiConsumer<String, AttributeValue> consumer) {
    for (int i = 0; i < keys.length; i++) consumer.accept(keys[i], values[i]);
  }

  public Map<String, AttributeValue> asMap() {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    forEach(map::put);
    return map;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    forEach(b::put);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof Attributes)) return false;
    Attributes that = (Attributes) o;
    return Arrays.equals(keys, that.keys) && Arrays.equals(values, that.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keys) * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  /** Builds attributes; putting a key again replaces its value in place (last value wins). */
  public static final class Builder {
    private String[] keys = new String[8];
    private AttributeValue[] values = new AttributeValue[8];
    private int size;

    Builder() {}

    public Builder put(String key, AttributeValue value) {
      Objects.requireNonNull(key, "attribute key");
      Objects.requireNonNull(value, "attribute value");
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          values[i] = value;
          return this;
        }
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size] = value;
      size++;
      return this;
    }

    public Builder put(String key, String value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, long value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, double value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, boolean value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder putAll(Attributes attributes) {
      attributes.forEach(this::put);
      return this;
    }

    public Builder remove(String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          System.arraycopy(keys, i + 1, keys, i, size - i - 1);
          System.arraycopy(values, i + 1, values, i, size - i - 1);
          size--;
          keys[size] = null;
          values[size] = null;
          return this;
        }
      }
      return this;
    }

    public int size() {
      return size;
    }

    public Attributes build() {
      if (size == 0) return EMPTY;
      return new Attributes(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
    }
  }
}
