package dev.spanwise.model;

/** OTLP span kind. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER;

  private static final SpanKind[] VALUES = values();

  private final String lowerCaseName =
      name().equals("UNSPECIFIED") ? "" : name().toLowerCase(java.util.Locale.ROOT);

  /** The OTLP enum number ({@code SPAN_KIND_SERVER = 2}). */
  public int otlpNumber() {
    return ordinal();
  }

  public static SpanKind fromOtlpNumber(int number) {
    return number >= 0 && number < VALUES.length ? VALUES[number] : UNSPECIFIED;
  }

  /** Lower-case name as Jaeger and OpenTelemetry write it in tags ({@code server}); "" if unspecified. */
  public String lowerCaseName() {
    return lowerCaseName;
  }

  /** Parses {@code server}, {@code SERVER}, {@code SPAN_KIND_SERVER}; null if not a kind. */
  public static SpanKind parse(String text) {
    if (text == null) return null;
    String t = text.trim().toUpperCase(java.util.Locale.ROOT);
    if (t.startsWith("SPAN_KIND_")) t = t.substring("SPAN_KIND_".length());
    for (SpanKind kind : VALUES) {
      if (kind.name().equals(t)) return kind;
    }
    return null;
  }
}
