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
  private String[] attrKeys;
  private Object[] attrValues;
  private int attrCount;
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
    for (int i = 0; i < attrCount; i++) {
      if (attrKeys[i].equals(key)) {
        attrValues[i] = value;
        return this;
      }
    }
    if (attrKeys == null) {
      attrKeys = new String[8];
      attrValues = new Object[8];
    } else if (attrCount == attrKeys.length) {
      attrKeys = Arrays.copyOf(attrKeys, attrCount * 2);
      attrValues = Arrays.copyOf(attrValues, attrCount * 2);
    }
    attrKeys[attrCount] = key;
    attrValues[attrCount] = value;
    attrCount++;
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
    for (int i = 0; i < attrCount; i++) {
      Object normalized = AttributeValues.normalize(attrValues[i]);
      attrValues[i] = normalized == null ? String.valueOf(attrValues[i]) : normalized;
    }
    RecordingSpan span = new RecordingSpan(
        state, scope, context, parentContext.isValid() ? parentContext.spanId() : 0L,
        parentContext.isRemote(), name, kind, startEpochNanos, attrKeys, attrValues, attrCount,
        links, 0);
    attrKeys = null;
    attrValues = null;
    attrCount = 0;
    links = null;
    return span;
  }
}
