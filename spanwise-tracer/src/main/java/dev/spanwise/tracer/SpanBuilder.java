package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.AttributeValues;
import dev.spanwise.tracer.internal.ContextStorage;
import dev.spanwise.tracer.internal.Ids;
import dev.spanwise.tracer.internal.UnsampledSpan;
import dev.spanwise.tracer.internal.RecordingSpan;
import dev.spanwise.tracer.internal.TracerSharedState;
import dev.spanwise.tracer.sampling.SamplingDecision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Configures and starts one span. The parent is the current span unless set with {@code
 * setParent} or {@link #setNoParent()}. Not thread-safe; use once. Never throws: bad arguments
 * are ignored.
 */
public final class SpanBuilder {
  private final TracerSharedState state;
  private final InstrumentationScope scope;
  private final String name;
  private SpanKind kind = SpanKind.INTERNAL;
  private SpanContext parent; // null: the current span
  private Object[] attributes; // key0, value0, key1, value1, ...
  private int attributeCount;
  private List<Link> links;
  private long startEpochNanos;

  SpanBuilder(TracerSharedState state, InstrumentationScope scope, String name) {
    this.state = state;
    this.scope = scope;
    this.name = name == null ? "" : name;
  }

  /** The parent is the span in {@code context} (none if it has none). */
  public SpanBuilder setParent(Context context) {
    if (context != null) {
      parent = context.spanContext();
    }
    return this;
  }

  /** The parent is {@code span}. */
  public SpanBuilder setParent(Span span) {
    if (span != null) {
      parent = span.context();
    }
    return this;
  }

  /** The parent is the span identified by {@code context}, local or remote. */
  public SpanBuilder setParent(SpanContext context) {
    if (context != null) {
      parent = context;
    }
    return this;
  }

  /** Starts a new trace even when a span is current. */
  public SpanBuilder setNoParent() {
    parent = SpanContext.invalid();
    return this;
  }

  public SpanBuilder setSpanKind(SpanKind kind) {
    if (kind != null) {
      this.kind = kind;
    }
    return this;
  }

  public SpanBuilder setAttribute(String key, String value) {
    return put(key, value);
  }

  public SpanBuilder setAttribute(String key, long value) {
    return put(key, value);
  }

  public SpanBuilder setAttribute(String key, double value) {
    return put(key, value);
  }

  public SpanBuilder setAttribute(String key, boolean value) {
    return put(key, value);
  }

  public SpanBuilder setAttribute(String key, String[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  public SpanBuilder setAttribute(String key, long[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  public SpanBuilder setAttribute(String key, double[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  public SpanBuilder setAttribute(String key, boolean[] values) {
    return values == null ? this : put(key, AttributeValues.list(values));
  }

  public SpanBuilder setAllAttributes(Attributes attributes) {
    if (attributes != null) {
      for (int i = 0; i < attributes.size(); i++) {
        put(attributes.key(i), attributes.value(i));
      }
    }
    return this;
  }

  private SpanBuilder put(String key, Object value) {
    if (key == null || key.isEmpty() || value == null) {
      return this;
    }
    Object[] a = attributes;
    int n = attributeCount;
    for (int i = 0; i < 2 * n; i += 2) {
      if (a[i].equals(key)) {
        a[i + 1] = value;
        return this;
      }
    }
    if (a == null) {
      a = new Object[8];
      attributes = a;
    } else if (2 * n == a.length) {
      a = Arrays.copyOf(a, 4 * n);
      attributes = a;
    }
    a[2 * n] = key;
    a[2 * n + 1] = value;
    attributeCount = n + 1;
    return this;
  }

  public SpanBuilder addLink(SpanContext context) {
    return addLink(context, Attributes.empty());
  }

  public SpanBuilder addLink(SpanContext context, Attributes attributes) {
    if (context != null && context.isValid()) {
      if (links == null) {
        links = new ArrayList<>(2);
      }
      links.add(new Link(context, attributes == null ? Attributes.empty() : attributes, 0));
    }
    return this;
  }

  /** An explicit start time in nanoseconds since the epoch (default: now). */
  public SpanBuilder setStartTimestamp(long epochNanos) {
    if (epochNanos > 0) {
      this.startEpochNanos = epochNanos;
    }
    return this;
  }

  /** Starts the span. It is not made current: use {@link Span#makeCurrent()}. */
  public Span startSpan() {
    SpanContext parentContext = parent;
    if (parentContext == null) {
      Span current = ContextStorage.currentSpan();
      parentContext = current == null ? SpanContext.invalid() : current.context();
    }
    long traceIdHigh;
    long traceIdLow;
    if (parentContext.isValid()) {
      traceIdHigh = parentContext.traceIdHigh();
      traceIdLow = parentContext.traceIdLow();
    } else {
      traceIdHigh = Ids.randomLong();
      traceIdLow = Ids.randomNonZero();
    }
    long spanId = Ids.randomNonZero();
    SamplingDecision decision;
    if (state.isShutdown()) {
      decision = SamplingDecision.DROP;
    } else {
      decision = state.sampler.shouldSample(parentContext, traceIdHigh, traceIdLow, name, kind);
    }
    if (decision == SamplingDecision.DROP) {
      return new UnsampledSpan(traceIdHigh, traceIdLow, spanId, parentContext.traceState());
    }
    return startRecording(parentContext, traceIdHigh, traceIdLow, spanId, decision);
  }

  private Span startRecording(
      SpanContext parentContext, long traceIdHigh, long traceIdLow, long spanId,
      SamplingDecision decision) {
    byte flags = decision == SamplingDecision.RECORD_AND_SAMPLE ? SpanContext.FLAG_SAMPLED : 0;
    SpanContext context = SpanContext.createUnchecked(
        traceIdHigh, traceIdLow, spanId, flags, parentContext.traceState(), false);
    long startNanoTime = 0L;
    long start = startEpochNanos;
    if (start == 0L) {
      long now = System.nanoTime();
      start = state.clock.epochNanos(now);
      startNanoTime = now == 0L ? 1L : now;
    }
    long parentSpanId = parentContext.isValid() ? parentContext.spanId() : 0L;
    boolean remoteParent = parentContext.isRemote();
    // every argument computed before the allocation: the constructor's stores then follow it
    // directly, and the JIT leaves out their GC barriers
    RecordingSpan span = new RecordingSpan(
        state, scope, context, parentSpanId, remoteParent, name, kind, start, startNanoTime);
    if (attributeCount > 0) {
      span.takeAttributes(normalize(attributes, attributeCount), attributeCount);
    }
    if (links != null) {
      span.takeLinks(links);
    }
    attributes = null;
    attributeCount = 0;
    links = null;
    return span;
  }

  private static Object[] normalize(Object[] attributes, int count) {
    for (int i = 1; i < 2 * count; i += 2) {
      Object normalized = AttributeValues.normalize(attributes[i]);
      attributes[i] = normalized == null ? String.valueOf(attributes[i]) : normalized;
    }
    return attributes;
  }
}
