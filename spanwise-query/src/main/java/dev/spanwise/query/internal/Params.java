package dev.spanwise.query.internal;

import com.linecorp.armeria.common.QueryParams;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to a request's query parameters. Every getter throws {@link BadParameterException}
 * naming the parameter when a value is malformed; an empty value counts as absent.
 */
public final class Params {
  private final QueryParams params;

  public Params(QueryParams params) {
    this.params = params;
  }

  public static Params of(String queryString) {
    return new Params(QueryParams.fromQueryString(queryString == null ? "" : queryString));
  }

  /** A parameter value with the name it was given under (one of several aliases). */
  public record Named(String name, String value) {}

  /** The value, or null when absent or empty. */
  public String string(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The first of the aliases present, with its name; null when none is. */
  public Named first(String... names) {
    for (String name : names) {
      String v = string(name);
      if (v != null) return new Named(name, v);
    }
    return null;
  }

  /** The value of the first alias present, or null. */
  public String stringOf(String... names) {
    Named n = first(names);
    return n == null ? null : n.value();
  }

  public String required(String name) {
    String v = string(name);
    if (v == null) throw new BadParameterException(name, "is required");
    return v;
  }

  /** All non-empty values, in order. */
  public List<String> all(String name) {
    List<String> result = new ArrayList<>();
    for (String v : params.getAll(name)) {
      if (!v.isEmpty()) result.add(v);
    }
    return result;
  }

  public boolean has(String name) {
    return string(name) != null;
  }

  /** An integer in [min, max], or {@code defaultValue} when absent. */
  public int intValue(String name, int defaultValue, int min, int max) {
    String v = string(name);
    if (v == null) return defaultValue;
    return parseInt(name, v, min, max);
  }

  public static int parseInt(String name, String v, int min, int max) {
    long parsed;
    try {
      parsed = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new BadParameterException(name, "is not an integer: " + v);
    }
    if (parsed < min || parsed > max) {
      throw new BadParameterException(name, "must be between " + min + " and " + max + ", was " + v);
    }
    return (int) parsed;
  }

  /** A long, or {@code defaultValue} when absent. Never negative. */
  public long longValue(String name, long defaultValue) {
    String v = string(name);
    if (v == null) return defaultValue;
    long parsed;
    try {
      parsed = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new BadParameterException(name, "is not an integer: " + v);
    }
    if (parsed < 0) throw new BadParameterException(name, "must not be negative, was " + v);
    return parsed;
  }

  /** {@code true}/{@code false} (also {@code 1}/{@code 0}), or {@code defaultValue} when absent. */
  public boolean bool(String name, boolean defaultValue) {
    String v = string(name);
    if (v == null) return defaultValue;
    switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
      case "1":
        return true;
      case "false":
      case "0":
        return false;
      default:
        throw new BadParameterException(name, "must be true or false, was " + v);
    }
  }

  /** A Go-style duration ({@code 1.2s}, {@code 100ms}) in nanoseconds, or null when absent. */
  public Long durationNanos(String name) {
    String v = string(name);
    return v == null ? null : parseDuration(name, v);
  }

  public static long parseDuration(String name, String v) {
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new BadParameterException(name, e.getMessage());
    }
  }

  /**
   * A count of {@code unitNanos} (microseconds: 1000) as nanoseconds, or null when absent; for
   * times since the epoch and durations given as plain integers.
   */
  public Long unitsAsNanos(String name, long unitNanos) {
    String v = string(name);
    if (v == null) return null;
    long units = longValue(name, 0);
    try {
      return Math.multiplyExact(units, unitNanos);
    } catch (ArithmeticException e) {
      throw new BadParameterException(name, "is too large: " + v);
    }
  }

  /** An RFC 3339 time ({@code 2026-11-25T12:00:00.5Z}) as nanoseconds since the epoch, or null. */
  public Long rfc3339Nanos(String name) {
    String v = string(name);
    return v == null ? null : parseRfc3339(name, v);
  }

  public static long parseRfc3339(String name, String v) {
    try {
      OffsetDateTime t = OffsetDateTime.parse(v.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      long seconds = t.toEpochSecond();
      if (seconds < 0) throw new BadParameterException(name, "is before 1970: " + v);
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException e) {
      throw new BadParameterException(name,
          "is not an RFC 3339 time such as 2026-01-02T15:04:05.123Z: " + v);
    } catch (ArithmeticException e) {
      throw new BadParameterException(name, "is too far in the future: " + v);
    }
  }

  /** A span kind ({@code server}, {@code SPAN_KIND_SERVER}), or null when absent. */
  public SpanKind spanKind(String name) {
    String v = string(name);
    return v == null ? null : parseSpanKind(name, v);
  }

  public static SpanKind parseSpanKind(String name, String v) {
    SpanKind kind = SpanKind.parse(v);
    if (kind == null) {
      throw new BadParameterException(name,
          "is not a span kind (server, client, producer, consumer, internal): " + v);
    }
    return kind == SpanKind.UNSPECIFIED ? null : kind;
  }

  /** A trace id of 1 to 32 hex characters, not all zero. */
  public static TraceId parseTraceId(String name, String v) {
    TraceId id;
    try {
      id = TraceId.fromHex(v.trim());
    } catch (IllegalArgumentException e) {
      throw new BadParameterException(name, "is not a trace id of 1 to 32 hex characters: " + v);
    }
    if (!id.isValid()) throw new BadParameterException(name, "must not be all zero");
    return id;
  }

  /** Throws naming {@code endName} when start is after end. */
  public static void checkOrder(String startName, long start, String endName, long end) {
    if (start > end) {
      throw new BadParameterException(startName, "is after '" + endName + "'");
    }
  }
}
