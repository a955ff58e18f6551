package dev.spanwise.tracer.propagation;

import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.TraceState;
import dev.spanwise.tracer.internal.Ids;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;

/**
 * B3 propagation (openzipkin/b3-propagation), single header {@code b3} or the {@code X-B3-*}
 * headers. 64-bit trace ids are left-padded to 128 bits. Debug ({@code d} or {@code X-B3-Flags:
 * 1}) counts as sampled. A header carrying only a sampling decision has no ids to continue and is
 * ignored. Both forms are accepted on extraction; injection uses the configured form.
 */
final class B3Propagator implements TextMapPropagator {
  static final String SINGLE_HEADER = "b3";
  static final String TRACE_ID = "X-B3-TraceId";
  static final String SPAN_ID = "X-B3-SpanId";
  static final String PARENT_SPAN_ID = "X-B3-ParentSpanId";
  static final String SAMPLED = "X-B3-Sampled";
  static final String FLAGS = "X-B3-Flags";

  static final B3Propagator SINGLE = new B3Propagator(true);
  static final B3Propagator MULTI = new B3Propagator(false);

  private final boolean single;
  private final Collection<String> fields;

  private B3Propagator(boolean single) {
    this.single = single;
    this.fields = single ? Collections.singletonList(SINGLE_HEADER)
        : Collections.unmodifiableList(Arrays.asList(TRACE_ID, SPAN_ID, SAMPLED));
  }

  @Override
  public Collection<String> fields() {
    return fields;
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
    String sampled = sc.isSampled() ? "1" : "0";
    if (single) {
      setter.set(carrier, SINGLE_HEADER, sc.traceId() + "-" + sc.spanIdHex() + "-" + sampled);
    } else {
      setter.set(carrier, TRACE_ID, sc.traceId());
      setter.set(carrier, SPAN_ID, sc.spanIdHex());
      setter.set(carrier, SAMPLED, sampled);
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
      SpanContext sc;
      String b3 = getter.get(carrier, SINGLE_HEADER);
      if (b3 != null) {
        sc = parseSingle(b3.trim());
      } else {
        sc = parseMulti(getter.get(carrier, TRACE_ID), getter.get(carrier, SPAN_ID),
            getter.get(carrier, SAMPLED), getter.get(carrier, FLAGS));
      }
      return sc.isValid() ? context.with(sc) : context;
    } catch (RuntimeException e) {
      return context;
    }
  }

  /** {@code traceid-spanid[-sampling[-parentspanid]]}. */
  static SpanContext parseSingle(String value) {
    int first = value.indexOf('-');
    if (first < 0) {
      return SpanContext.invalid(); // sampling decision only
    }
    int second = value.indexOf('-', first + 1);
    String traceId = value.substring(0, first);
    String spanId = second < 0 ? value.substring(first + 1) : value.substring(first + 1, second);
    String sampling = null;
    if (second >= 0) {
      int third = value.indexOf('-', second + 1);
      sampling = third < 0 ? value.substring(second + 1) : value.substring(second + 1, third);
      if (third >= 0) {
        String parent = value.substring(third + 1);
        if (parent.length() != 16 || !Ids.isLowerHex(parent, 0, 16)) {
          return SpanContext.invalid();
        }
      }
    }
    byte flags;
    if (sampling == null) {
      flags = SpanContext.FLAG_SAMPLED; // deferred: sample, as OpenTelemetry does
    } else if (sampling.equals("1") || sampling.equals("d")) {
      flags = SpanContext.FLAG_SAMPLED;
    } else if (sampling.equals("0")) {
      flags = 0;
    } else {
      return SpanContext.invalid();
    }
    return build(traceId, spanId, flags);
  }

  static SpanContext parseMulti(String traceId, String spanId, String sampled, String debug) {
    if (traceId == null || spanId == null) {
      return SpanContext.invalid();
    }
    byte flags;
    if ("1".equals(debug != null ? debug.trim() : null)) {
      flags = SpanContext.FLAG_SAMPLED;
    } else if (sampled == null) {
      flags = SpanContext.FLAG_SAMPLED;
    } else {
      String s = sampled.trim();
      if (s.equals("1") || s.equalsIgnoreCase("true")) {
        flags = SpanContext.FLAG_SAMPLED;
      } else if (s.equals("0") || s.equalsIgnoreCase("false")) {
        flags = 0;
      } else {
        return SpanContext.invalid();
      }
    }
    return build(traceId.trim(), spanId.trim(), flags);
  }

  private static SpanContext build(String traceId, String spanId, byte flags) {
    int tl = traceId.length();
    if ((tl != 16 && tl != 32) || !Ids.isLowerHex(traceId, 0, tl)) {
      return SpanContext.invalid();
    }
    if (spanId.length() != 16 || !Ids.isLowerHex(spanId, 0, 16)) {
      return SpanContext.invalid();
    }
    long high = tl == 32 ? Ids.parseHex(traceId, 0, 16) : 0L;
    long low = Ids.parseHex(traceId, tl - 16, 16);
    return SpanContext.createFromRemoteParent(high, low, Ids.parseHex(spanId, 0, 16), flags,
        TraceState.empty());
  }

  @Override
  public String toString() {
    return single ? "B3Propagator{single}" : "B3Propagator{multi}";
  }
}
