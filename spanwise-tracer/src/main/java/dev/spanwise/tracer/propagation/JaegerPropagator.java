package dev.spanwise.tracer.propagation;

import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.TraceState;
import dev.spanwise.tracer.internal.Ids;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.Collection;
import java.util.Collections;

/**
 * Jaeger's {@code uber-trace-id: trace-id:span-id:parent-span-id:flags} (ids in hex of up to 32
 * and 16 digits, URL-encoded values accepted) and {@code uberctx-KEY: value} baggage.
 */
final class JaegerPropagator implements TextMapPropagator {
  static final JaegerPropagator INSTANCE = new JaegerPropagator();
  static final String TRACE_ID_HEADER = "uber-trace-id";
  static final String BAGGAGE_PREFIX = "uberctx-";

  private JaegerPropagator() {}

  @Override
  public Collection<String> fields() {
    return Collections.singletonList(TRACE_ID_HEADER);
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext sc = context.spanContext();
    if (sc.isValid()) {
      setter.set(carrier, TRACE_ID_HEADER,
          sc.traceId() + ":" + sc.spanIdHex() + ":0:" + (sc.isSampled() ? "1" : "0"));
    }
    Baggage baggage = context.baggage();
    for (int i = 0; i < baggage.size(); i++) {
      setter.set(carrier, BAGGAGE_PREFIX + baggage.key(i), urlEncode(baggage.value(i)));
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
      Context result = context;
      String header = getter.get(carrier, TRACE_ID_HEADER);
      if (header != null) {
        SpanContext sc = parse(header);
        if (sc.isValid()) {
          result = result.with(sc);
        }
      }
      Baggage baggage = result.baggage();
      Iterable<String> keys = getter.keys(carrier);
      if (keys != null) {
        for (String key : keys) {
          if (key != null && key.length() > BAGGAGE_PREFIX.length()
              && key.regionMatches(true, 0, BAGGAGE_PREFIX, 0, BAGGAGE_PREFIX.length())) {
            String value = getter.get(carrier, key);
            if (value != null) {
              baggage = baggage.with(key.substring(BAGGAGE_PREFIX.length()).toLowerCase(java.util.Locale.ROOT),
                  urlDecode(value));
            }
          }
        }
      }
      return baggage == result.baggage() ? result : result.with(baggage);
    } catch (RuntimeException e) {
      return context;
    }
  }

  static SpanContext parse(String raw) {
    String value = raw.indexOf('%') >= 0 ? urlDecode(raw) : raw;
    String[] parts = value.trim().split(":", -1);
    if (parts.length != 4) {
      return SpanContext.invalid();
    }
    String traceId = parts[0];
    String spanId = parts[1];
    String flags = parts[3];
    if (traceId.isEmpty() || traceId.length() > 32 || !isHex(traceId)
        || spanId.isEmpty() || spanId.length() > 16 || !isHex(spanId)
        || flags.isEmpty() || flags.length() > 2 || !isHex(flags)) {
      return SpanContext.invalid();
    }
    String lower = traceId.toLowerCase(java.util.Locale.ROOT);
    long high = lower.length() > 16 ? Ids.parseHex(lower, 0, lower.length() - 16) : 0L;
    long low = Ids.parseHex(lower, Math.max(0, lower.length() - 16), Math.min(16, lower.length()));
    long span = Ids.parseHex(spanId.toLowerCase(java.util.Locale.ROOT), 0, spanId.length());
    int f = (int) Ids.parseHex(flags.toLowerCase(java.util.Locale.ROOT), 0, flags.length());
    // bit 1: sampled, bit 2: debug (implies sampled)
    byte traceFlags = (f & 0x03) != 0 ? SpanContext.FLAG_SAMPLED : 0;
    return SpanContext.createFromRemoteParent(high, low, span, traceFlags, TraceState.empty());
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Ids.anyHexValue(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String urlDecode(String s) {
    try {
      return URLDecoder.decode(s, "UTF-8");
    } catch (UnsupportedEncodingException | IllegalArgumentException e) {
      return s;
    }
  }

  private static String urlEncode(String s) {
    try {
      return URLEncoder.encode(s, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      return s;
    }
  }

  @Override
  public String toString() {
    return "JaegerPropagator";
  }
}
