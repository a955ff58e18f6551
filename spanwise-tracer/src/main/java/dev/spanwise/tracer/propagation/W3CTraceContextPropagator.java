package dev.spanwise.tracer.propagation;

import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.TraceState;
import dev.spanwise.tracer.internal.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;

/**
 * W3C Trace Context. Accepts version 00 exactly as specified and any later version (not {@code
 * ff}) by its first four fields when followed by end-of-value or {@code -}; rejects upper-case
 * hex, all-zero ids and repeated {@code traceparent} fields. Repeated {@code tracestate} fields are
 * joined; an invalid tracestate (bad member, duplicate key, more than 32 members) is dropped while
 * the traceparent is kept.
 */
final class W3CTraceContextPropagator implements TextMapPropagator {
  static final W3CTraceContextPropagator INSTANCE = new W3CTraceContextPropagator();

  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";
  private static final int TRACEPARENT_LENGTH = 55;
  private static final Collection<String> FIELDS =
      Collections.unmodifiableList(Arrays.asList(TRACEPARENT, TRACESTATE));

  private W3CTraceContextPropagator() {}

  @Override
  public Collection<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext sc = context.spanContext();
    if (!sc.isValid()) {
      return;
    }
    setter.set(carrier, TRACEPARENT, sc.traceparent());
    TraceState state = sc.traceState();
    if (!state.isEmpty()) {
      setter.set(carrier, TRACESTATE, state.toHeader());
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (carrier == null || getter == null) {
      return context;
    }
    try {
      String traceparent;
      Iterator<String> values = getter.getAll(carrier, TRACEPARENT);
      if (values == null) {
        traceparent = getter.get(carrier, TRACEPARENT);
      } else {
        traceparent = values.hasNext() ? values.next() : null;
        if (values.hasNext()) {
          return context; // repeated traceparent: invalid
        }
      }
      if (traceparent == null) {
        return context;
      }
      // the tracestate first, so that the context is made once, with it
      TraceState state = extractTraceState(carrier, getter);
      SpanContext parsed = parseTraceparent(traceparent, state == null ? TraceState.empty() : state);
      return parsed.isValid() ? context.with(parsed) : context;
    } catch (RuntimeException e) {
      return context;
    }
  }

  private static <C> TraceState extractTraceState(C carrier, TextMapGetter<C> getter) {
    Iterator<String> values = getter.getAll(carrier, TRACESTATE);
    if (values == null) {
      String value = getter.get(carrier, TRACESTATE);
      return value == null ? null : TraceState.parse(value);
    }
    if (!values.hasNext()) {
      return null;
    }
    String first = values.next();
    if (!values.hasNext()) {
      return TraceState.parse(first);
    }
    StringBuilder joined = new StringBuilder(first);
    while (values.hasNext()) {
      joined.append(',').append(values.next());
    }
    return TraceState.parse(joined.toString());
  }

  /** The remote context in {@code value}, or {@link SpanContext#invalid()}. */
  static SpanContext parseTraceparent(String value, TraceState state) {
    if (value == null) {
      return SpanContext.invalid();
    }
    // One bulk copy to bytes: a character outside Latin-1 becomes '?', which no field accepts.
    byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
    int from = 0;
    int to = b.length;
    while (from < to && isOws(b[from])) {
      from++;
    }
    while (to > from && isOws(b[to - 1])) {
      to--;
    }
    return parseFields(b, from, to - from, state);
  }

  /** The fields of the trimmed header {@code b[from..from+length)}; kept apart so both inline. */
  private static SpanContext parseFields(byte[] b, int from, int length, TraceState state) {
    int version = 0;
    if (length != TRACEPARENT_LENGTH || b[from] != '0' || b[from + 1] != '0') {
      // not version 00 (the only one so far, which needs no table look-up), or malformed
      if (length < TRACEPARENT_LENGTH) {
        return SpanContext.invalid();
      }
      version = hexByte(b[from], b[from + 1]);
      if (version < 0 || version == 0xff || (version == 0 && length != TRACEPARENT_LENGTH)) {
        return SpanContext.invalid();
      }
      if (length > TRACEPARENT_LENGTH && b[from + TRACEPARENT_LENGTH] != '-') {
        return SpanContext.invalid();
      }
    }
    if (b[from + 2] != '-' || b[from + 35] != '-' || b[from + 52] != '-') {
      return SpanContext.invalid();
    }
    long high1 = Ids.word(b, from + 3);
    long high2 = Ids.word(b, from + 11);
    long low1 = Ids.word(b, from + 19);
    long low2 = Ids.word(b, from + 27);
    long span1 = Ids.word(b, from + 36);
    long span2 = Ids.word(b, from + 44);
    int flags = hexByte(b[from + 53], b[from + 54]);
    if ((Ids.lowerHexMismatch(high1) | Ids.lowerHexMismatch(high2) | Ids.lowerHexMismatch(low1)
        | Ids.lowerHexMismatch(low2) | Ids.lowerHexMismatch(span1) | Ids.lowerHexMismatch(span2))
        != 0 || flags < 0) {
      return SpanContext.invalid();
    }
    if (version > 0) {
      flags &= 0x03; // only the flags defined so far survive a future version
    }
    return SpanContext.createFromRemoteParent(
        (Ids.lowerHexValue(high1) << 32) | Ids.lowerHexValue(high2),
        (Ids.lowerHexValue(low1) << 32) | Ids.lowerHexValue(low2),
        (Ids.lowerHexValue(span1) << 32) | Ids.lowerHexValue(span2), (byte) flags, state);
  }

  private static final byte[] HEX_VALUES = new byte[256];

  static {
    Arrays.fill(HEX_VALUES, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX_VALUES[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX_VALUES[c] = (byte) (c - 'a' + 10);
    }
  }

  /** The value of two lower-case hex digits, or a negative number. */
  private static int hexByte(byte high, byte low) {
    int h = HEX_VALUES[high & 0xff];
    int l = HEX_VALUES[low & 0xff];
    return (h | l) < 0 ? -1 : (h << 4) | l;
  }

  private static boolean isOws(byte c) {
    return c == ' ' || c == '\t';
  }

  @Override
  public String toString() {
    return "W3CTraceContextPropagator";
  }
}
