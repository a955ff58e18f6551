package dev.spanwise.opentracing;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.SpanBuilder;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import io.opentracing.References;
import io.opentracing.Tracer;
import io.opentracing.tag.Tag;

/** The OpenTracing span builder over ours. The first CHILD_OF (else FOLLOWS_FROM) is the parent. */
final class OtSpanBuilder implements Tracer.SpanBuilder {
  private final SpanwiseOpenTracer tracer;
  private final SpanBuilder builder;
  private OtSpanContext parent;
  private boolean parentIsChildOf;
  private boolean ignoreActiveSpan;
  private boolean error;

  OtSpanBuilder(SpanwiseOpenTracer tracer, SpanBuilder builder) {
    this.tracer = tracer;
    this.builder = builder;
  }

  @Override
  public Tracer.SpanBuilder asChildOf(io.opentracing.SpanContext parent) {
    return addReference(References.CHILD_OF, parent);
  }

  @Override
  public Tracer.SpanBuilder asChildOf(io.opentracing.Span parent) {
    return parent == null ? this : addReference(References.CHILD_OF, parent.context());
  }

  @Override
  public Tracer.SpanBuilder addReference(String type, io.opentracing.SpanContext referenced) {
    if (!(referenced instanceof OtSpanContext)) {
      return this;
    }
    OtSpanContext ctx = (OtSpanContext) referenced;
    boolean childOf = References.CHILD_OF.equals(type);
    if (parent == null || (childOf && !parentIsChildOf)) {
      if (parent != null) {
        builder.addLink(parent.spanContext, Attributes.of("opentracing.ref_type", References.FOLLOWS_FROM));
      }
      parent = ctx;
      parentIsChildOf = childOf;
    } else {
      builder.addLink(ctx.spanContext, Attributes.of("opentracing.ref_type", type));
    }
    return this;
  }

  @Override
  public Tracer.SpanBuilder ignoreActiveSpan() {
    ignoreActiveSpan = true;
    return this;
  }

  @Override
  public Tracer.SpanBuilder withTag(String key, String value) {
    if ("span.kind".equals(key)) {
      SpanKind kind = kind(value);
      if (kind != null) {
        builder.setSpanKind(kind);
        return this;
      }
    }
    if ("error".equals(key)) {
      error |= Boolean.parseBoolean(value);
      return this;
    }
    builder.setAttribute(key, value);
    return this;
  }

  @Override
  public Tracer.SpanBuilder withTag(String key, boolean value) {
    if ("error".equals(key)) {
      error |= value;
      return this;
    }
    builder.setAttribute(key, value);
    return this;
  }

  @Override
  public Tracer.SpanBuilder withTag(String key, Number value) {
    if (value instanceof Double || value instanceof Float) {
      builder.setAttribute(key, value.doubleValue());
    } else if (value != null) {
      builder.setAttribute(key, value.longValue());
    }
    return this;
  }

  @Override
  public <T> Tracer.SpanBuilder withTag(Tag<T> tag, T value) {
    if (tag == null || value == null) {
      return this;
    }
    if (value instanceof Boolean) {
      return withTag(tag.getKey(), (Boolean) value);
    }
    if (value instanceof Number) {
      return withTag(tag.getKey(), (Number) value);
    }
    return withTag(tag.getKey(), value.toString());
  }

  static SpanKind kind(String value) {
    if (value == null) {
      return null;
    }
    switch (value) {
      case "server":
        return SpanKind.SERVER;
      case "client":
        return SpanKind.CLIENT;
      case "producer":
        return SpanKind.PRODUCER;
      case "consumer":
        return SpanKind.CONSUMER;
      default:
        return null;
    }
  }

  @Override
  public Tracer.SpanBuilder withStartTimestamp(long microseconds) {
    builder.setStartTimestamp(microseconds * 1000L);
    return this;
  }

  @Override
  public io.opentracing.Span start() {
    Baggage baggage = Baggage.empty();
    if (parent != null) {
      builder.setParent(parent.spanContext);
      baggage = parent.baggage;
    } else if (ignoreActiveSpan) {
      builder.setNoParent();
    } else {
      io.opentracing.Span active = tracer.activeSpan();
      if (active instanceof OtSpan) {
        OtSpan otActive = (OtSpan) active;
        builder.setParent(otActive.delegate.context());
        baggage = otActive.baggage();
      } else {
        builder.setParent(SpanContext.invalid());
      }
    }
    dev.spanwise.tracer.Span span = builder.startSpan();
    if (error) {
      span.setStatus(StatusCode.ERROR, null);
    }
    return new OtSpan(span, baggage);
  }
}
