package dev.spanwise.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A typed attribute value: string, boolean, 64-bit integer, double, bytes, array or map. */
public final class AttributeValue {
  private static final AttributeValue TRUE = new AttributeValue(AttributeType.BOOLEAN, Boolean.TRUE);
  private static final AttributeValue FALSE =
      new AttributeValue(AttributeType.BOOLEAN, Boolean.FALSE);
  private static final AttributeValue EMPTY_STRING = new AttributeValue(AttributeType.STRING, "");

  private final AttributeType type;
  private final Object value;

  private AttributeValue(AttributeType type, Object value) {
    this.type = type;
    this.value = value;
  }

  public static AttributeValue of(String value) {
    Objects.requireNonNull(value, "value");
    return value.isEmpty() ? EMPTY_STRING : new AttributeValue(AttributeType.STRING, value);
  }

  public static AttributeValue of(boolean value) {
    return value ? TRUE : FALSE;
  }

  public static AttributeValue of(long value) {
    return new AttributeValue(AttributeType.LONG, value);
  }

  public static AttributeValue of(double value) {
    return new AttributeValue(AttributeType.DOUBLE, value);
  }

  public static AttributeValue ofBytes(byte[] value) {
    return new AttributeValue(AttributeType.BYTES, value.clone());
  }

  public static AttributeValue ofArray(List<AttributeValue> values) {
    List<AttributeValue> copy = new ArrayList<>(values.size());
    for (AttributeValue v : values) copy.add(Objects.requireNonNull(v, "array element"));
    return new AttributeValue(AttributeType.ARRAY, Collections.unmodifiableList(copy));
  }

  public static AttributeValue ofMap(Attributes values) {
    return new AttributeValue(AttributeType.MAP, Objects.requireNonNull(values, "values"));
  }

  public AttributeType type() {
    return type;
  }

  public String stringValue() {
    check(AttributeType.STRING);
    return (String) value;
  }

  public boolean booleanValue() {
    check(AttributeType.BOOLEAN);
    return (Boolean) value;
  }

  public long longValue() {
    check(AttributeType.LONG);
    return (Long) value;
  }

  public double doubleValue() {
    check(AttributeType.DOUBLE);
    return (Double) value;
  }

  public byte[] bytesValue() {
    check(AttributeType.BYTES);
    return ((byte[]) value).clone();
  }

  @SuppressWarnings("unchecked")
  public List<AttributeValue> arrayValue() {
    check(AttributeType.ARRAY);
    return (List<AttributeValue>) value;
  }

  public Attributes mapValue() {
    check(AttributeType.MAP);
    return (Attributes) value;
  }

  private void check(AttributeType expected) {
    if (type != expected) {
      throw new IllegalStateException("attribute value is " + type + ", not " + expected);
    }
  }

  /**
   * The value as text the way the query APIs compare and print it: strings as they are, numbers
   * and booleans in Java's canonical form, bytes in base64, arrays and maps as JSON.
   */
  public String asText() {
    switch (type) {
      case STRING:
        return (String) value;
      case BYTES:
        return java.util.Base64.getEncoder().encodeToString((byte[]) value);
      case ARRAY:
      case MAP:
        StringBuilder sb = new StringBuilder();
        appendJson(sb);
        return sb.toString();
      default:
        return String.valueOf(value);
    }
  }

  private void appendJson(StringBuilder sb) {
    switch (type) {
      case STRING:
      case BYTES:
        appendJsonString(sb, asText());
        break;
      case ARRAY:
        sb.append('[');
        List<AttributeValue> list = arrayValue();
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) sb.append(',');
          list.get(i).appendJson(sb);
        }
        sb.append(']');
        break;
      case MAP:
        sb.append('{');
        Attributes map = mapValue();
        for (int i = 0; i < map.size(); i++) {
          if (i > 0) sb.append(',');
          appendJsonString(sb, map.key(i));
          sb.append(':');
          map.value(i).appendJson(sb);
        }
        sb.append('}');
        break;
      case DOUBLE:
        double d = (Double) value;
        if (Double.isNaN(d) || Double.isInfinite(d)) appendJsonString(sb, String.valueOf(d));
        else sb.append(d);
        break;
      default:
        sb.append(value);
    }
  }

  private static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
      }
    }
    sb.append('"');
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof AttributeValue)) return false;
    AttributeValue that = (AttributeValue) o;
    if (type != that.type) return false;
    if (type == AttributeType.BYTES) return Arrays.equals((byte[]) value, (byte[]) that.value);
    return value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return type == AttributeType.BYTES
        ? Arrays.hashCode((byte[]) value)
        : type.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return asText();
  }
}
