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
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[TRACEPARENT_LENGTH]);

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
    setter.set(carrier, TRACEPARENT, traceparent(sc));
    TraceState state = sc.traceState();
    if (!state.isEmpty()) {
      setter.set(carrier, TRACESTATE, state.toHeader());
    }
  }

  static String traceparent(SpanContext sc) {
    byte[] b = SCRATCH.get();
    b[0] = '0';
    b[1] = '0';
    b[2] = '-';
    Ids.writeHex(sc.traceIdHigh(), b, 3);
    Ids.writeHex(sc.traceIdLow(), b, 19);
    b[35] = '-';
    Ids.writeHex(sc.spanId(), b, 36);
    b[52] = '-';
    Ids.writeHexByte(sc.traceFlags() & 0xff, b, 53);
    return new String(b, 0, TRACEPARENT_LENGTH, StandardCharsets.ISO_8859_1);
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
      SpanContext parsed = parseTraceparent(traceparent, TraceState.empty());
      if (!parsed.isValid()) {
        return context;
      }
      TraceState state = extractTraceState(carrier, getter);
      if (state != null && !state.isEmpty()) {
        parsed = SpanContext.createFromRemoteParent(parsed.traceIdHigh(), parsed.traceIdLow(),
            parsed.spanId(), parsed.traceFlags(), state);
      }
      return context.with(parsed);
    } catch (RuntimeException e) {
      return context;
    }
  }

  private static <C> TraceState extractTraceState(C carrier, TextMapGetter<C> getter) {
    Iterator<String> values = getter.getAll(carrier, TRACESTATE);
    if (values == null) {
      return TraceState.parse(getter.get(carrier, TRACESTATE));
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
    int from = 0;
    int to = value.length();
    while (from < to && isOws(value.charAt(from))) {
      from++;
    }
    while (to > from && isOws(value.charAt(to - 1))) {
      to--;
    }
    int length = to - from;
    if (length < TRACEPARENT_LENGTH) {
      return SpanContext.invalid();
    }
    int v1 = Ids.lowerHexValue(value.charAt(from));
    int v2 = Ids.lowerHexValue(value.charAt(from + 1));
    if (v1 < 0 || v2 < 0) {
      return SpanContext.invalid();
    }
    int version = v1 * 16 + v2;
    if (version == 0xff) {
      return SpanContext.invalid();
    }
    if (version == 0 && length != TRACEPARENT_LENGTH) {
      return SpanContext.invalid();
    }
    if (length > TRACEPARENT_LENGTH && value.charAt(from + TRACEPARENT_LENGTH) != '-') {
      return SpanContext.invalid();
    }
    if (value.charAt(from + 2) != '-' || value.charAt(from + 35) != '-'
        || value.charAt(from + 52) != '-') {
      return SpanContext.invalid();
    }
    // one pass: parse and validate together (an invalid character makes `bad` negative)
    int bad = 0;
    long high = 0;
    long low = 0;
    long spanId = 0;
    for (int i = from + 3; i < from + 19; i++) {
      int d = hexValue(value.charAt(i));
      bad |= d;
      high = (high << 4) | (d & 0xf);
    }
    for (int i = from + 19; i < from + 35; i++) {
      int d = hexValue(value.charAt(i));
      bad |= d;
      low = (low << 4) | (d & 0xf);
    }
    for (int i = from + 36; i < from + 52; i++) {
      int d = hexValue(value.charAt(i));
      bad |= d;
      spanId = (spanId << 4) | (d & 0xf);
    }
    int f1 = hexValue(value.charAt(from + 53));
    int f2 = hexValue(value.charAt(from + 54));
    bad |= f1 | f2;
    if (bad < 0) {
      return SpanContext.invalid();
    }
    int flags = (f1 << 4) | f2;
    if (version > 0) {
      flags &= 0x03; // only the flags defined so far survive a future version
    }
    return SpanContext.createFromRemoteParent(high, low, spanId, (byte) flags, state);
  }

  private static final byte[] HEX_VALUES = new byte[128];

  static {
    java.util.Arrays.fill(HEX_VALUES, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX_VALUES[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX_VALUES[c] = (byte) (c - 'a' + 10);
    }
  }

  /** The value of a lower-case hex digit, or -1. */
  private static int hexValue(char c) {
    return c < 128 ? HEX_VALUES[c] : -1;
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  @Override
  public String toString() {
    return "W3CTraceContextPropagator";
  }
}
