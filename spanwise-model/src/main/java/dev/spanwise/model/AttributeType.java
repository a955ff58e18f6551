package dev.spanwise.model;

/** The type of an {@link AttributeValue}, mirroring OTLP's {@code AnyValue}. */
public enum AttributeType {
  STRING,
  BOOLEAN,
  LONG,
  DOUBLE,
  BYTES,
  /** A list of values (OTLP {@code ArrayValue}); elements may be of mixed types. */
  ARRAY,
  /** Nested key-values (OTLP {@code KeyValueList}). */
  MAP
}
