package dev.spanwise.opentracing;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.StatusCode;
import io.opentracing.tag.Tag;
import java.util.Map;

/**
 * An OpenTracing span over our span. Tags become attributes ({@code error=true} sets the ERROR
 * status, {@code span.kind} the kind), logs become events ({@code event} names the event, an
 * {@code error.object} throwable is recorded as an exception), and baggage lives in the span.
 */
final class OtSpan implements io.opentracing.Span {
  final Span delegate;
  final BridgeSpan bridge;
  private volatile Baggage baggage;

  OtSpan(Span delegate, Baggage baggage) {
    this.delegate = delegate;
    this.baggage = baggage == null ? Baggage.empty() : baggage;
    this.bridge = new BridgeSpan(this);
  }

  Baggage baggage() {
    return baggage;
  }

  @Override
  public io.opentracing.SpanContext context() {
    return new OtSpanContext(delegate.context(), baggage);
  }

  @Override
  public io.opentracing.Span setTag(String key, String value) {
    if ("error".equals(key)) {
      return setErrorTag(Boolean.parseBoolean(value));
    }
    delegate.setAttribute(key, value);
    return this;
  }

  @Override
  public io.opentracing.Span setTag(String key, boolean value) {
    if ("error".equals(key)) {
      return setErrorTag(value);
    }
    delegate.setAttribute(key, value);
    return this;
  }

  @Override
  public io.opentracing.Span setTag(String key, Number value) {
    if (value == null) {
      return this;
    }
    if (value instanceof Double || value instanceof Float) {
      delegate.setAttribute(key, value.doubleValue());
    } else {
      delegate.setAttribute(key, value.longValue());
    }
    return this;
  }

  @Override
  public <T> io.opentracing.Span setTag(Tag<T> tag, T value) {
    if (tag == null || value == null) {
      return this;
    }
    if (value instanceof Boolean) {
      return setTag(tag.getKey(), (Boolean) value);
    }
    if (value instanceof Number) {
      return setTag(tag.getKey(), (Number) value);
    }
    return setTag(tag.getKey(), value.toString());
  }

  private io.opentracing.Span setErrorTag(boolean error) {
    if (error) {
      delegate.setStatus(StatusCode.ERROR, null);
    }
    return this;
  }

  @Override
  public io.opentracing.Span log(Map<String, ?> fields) {
    return log(0L, fields);
  }

  @Override
  public io.opentracing.Span log(long timestampMicros, Map<String, ?> fields) {
    if (fields == null) {
      return this;
    }
    String name = "log";
    Throwable throwable = null;
    Attributes.Builder attributes = Attributes.builder();
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      Object value = e.getValue();
      if (e.getKey() == null || value == null) {
        continue;
      }
      if (e.getKey().equals("event")) {
        name = value.toString();
      } else if (e.getKey().equals("error.object") && value instanceof Throwable) {
        throwable = (Throwable) value;
      } else if (value instanceof Boolean || value instanceof String || value instanceof Number) {
        try {
          attributes.putObject(e.getKey(), value);
        } catch (IllegalArgumentException ex) {
          attributes.put(e.getKey(), value.toString());
        }
      } else {
        attributes.put(e.getKey(), value.toString());
      }
    }
    if (throwable != null) {
      delegate.recordException(throwable, attributes.build());
    } else {
      delegate.addEvent(name, attributes.build(), timestampMicros * 1000L);
    }
    return this;
  }

  @Override
  public io.opentracing.Span log(String event) {
    return log(0L, event);
  }

  @Override
  public io.opentracing.Span log(long timestampMicros, String event) {
    if (event != null) {
      delegate.addEvent(event, Attributes.empty(), timestampMicros * 1000L);
    }
    return this;
  }

  @Override
  public io.opentracing.Span setBaggageItem(String key, String value) {
    if (key != null && value != null) {
      synchronized (this) {
        baggage = baggage.with(key, value);
      }
    }
    return this;
  }

  @Override
  public String getBaggageItem(String key) {
    return key == null ? null : baggage.get(key);
  }

  @Override
  public io.opentracing.Span setOperationName(String operationName) {
    delegate.updateName(operationName);
    return this;
  }

  @Override
  public void finish() {
    delegate.end();
  }

  @Override
  public void finish(long finishMicros) {
    delegate.end(finishMicros * 1000L);
  }

  @Override
  public String toString() {
    return "OtSpan{" + delegate + "}";
  }
}
