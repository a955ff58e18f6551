package dev.spanwise.storage;

import java.util.Objects;

/**
 * A condition on one attribute of a span or of its resource: the key is present with exactly this
 * value (compared as text, see {@code AttributeValue.asText()}), or, with no value, the key is
 * present at all.
 */
public final class AttributeFilter {
  private final String key;
  private final String value;

  private AttributeFilter(String key, String value) {
    if (key == null || key.isEmpty()) throw new IllegalArgumentException("attribute key is empty");
    this.key = key;
    this.value = value;
  }

  public static AttributeFilter equalTo(String key, String value) {
    return new AttributeFilter(key, Objects.requireNonNull(value, "value"));
  }

  public static AttributeFilter exists(String key) {
    return new AttributeFilter(key, null);
  }

  public String key() {
    return key;
  }

  /** The wanted value, or null when only presence is asked. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttributeFilter && ((AttributeFilter) o).key.equals(key)
        && Objects.equals(((AttributeFilter) o).value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value);
  }

  @Override
  public String toString() {
    return value == null ? key : key + "=" + value;
  }
}
