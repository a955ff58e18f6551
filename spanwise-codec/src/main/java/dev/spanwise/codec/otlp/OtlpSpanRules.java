package dev.spanwise.codec.otlp;

/**
 * What an OTLP span must be for Spanwise to take it, each rule with the message that names the
 * field ("field: reason"). {@link OtlpProtoReader} (decoding bytes), {@link OtlpTraceDecoder}
 * (converting an already parsed message, as OTLP JSON arrives) and {@link OtlpProtoScanner} all
 * ask here, so a span is refused for the same reason, in the same words, whichever reads it.
 */
final class OtlpSpanRules {
  private OtlpSpanRules() {}

  /** A trace id: 16 bytes, not all zero. */
  static String traceIdProblem(String field, int length, boolean allZero) {
    if (length != 16) return field + ": must be 16 bytes, was " + length;
    if (allZero) return field + ": must not be all zero";
    return null;
  }

  /** A span's own id: 8 bytes, not all zero. */
  static String spanIdProblem(int length, boolean allZero) {
    if (length != 8) return "spanId: must be 8 bytes, was " + length;
    if (allZero) return "spanId: must not be all zero";
    return null;
  }

  /** A parent span id: 8 bytes, or none. */
  static String parentSpanIdProblem(int length) {
    if (length != 0 && length != 8) return "parentSpanId: must be 8 bytes or empty, was " + length;
    return null;
  }

  /** A link's trace id, as a span's (the field's name is only made for a problem). */
  static String linkTraceIdProblem(int index, int length, boolean allZero) {
    if (length == 16 && !allZero) return null;
    return traceIdProblem("links[" + index + "].traceId", length, allZero);
  }

  /** A link's span id: 8 bytes. */
  static String linkSpanIdProblem(int index, int length) {
    if (length != 8) return "links[" + index + "].spanId: must be 8 bytes, was " + length;
    return null;
  }

  /** Unsigned nanoseconds: the end not before the start, both before 2262 (a signed long). */
  static String timesProblem(long start, long end) {
    if (Long.compareUnsigned(end, start) < 0) {
      return "endTimeUnixNano: " + Long.toUnsignedString(end) + " is before startTimeUnixNano "
          + Long.toUnsignedString(start);
    }
    if (start < 0 || end < 0) {
      return (start < 0 ? "startTimeUnixNano: " : "endTimeUnixNano: ")
          + "must be before the year 2262, was " + Long.toUnsignedString(start < 0 ? start : end);
    }
    return null;
  }
}
