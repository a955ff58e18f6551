package dev.spanwise.codec.jaeger;

import dev.spanwise.codec.CodecException;
import dev.spanwise.model.AttributeType;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.util.List;
import java.util.Locale;

/**
 * The one mapping from Jaeger's span model (Thrift, protobuf, query JSON) to ours, as Jaeger and
 * the OpenTelemetry collector's Jaeger translator do it. The decoders read their wire format into
 * typed {@link Attributes} and {@link Reference}s, and leave every rule to this class:
 *
 * <ul>
 *   <li>process {@code serviceName} becomes {@code service.name}, process tags the other resource
 *       attributes (kept as sent, so that they read back the same through the Jaeger API);
 *   <li>{@code span.kind} becomes the kind and leaves the attributes (an unknown value: kind
 *       unspecified);
 *   <li>{@code otel.status_code} ({@code OK}/{@code ERROR}) with {@code otel.status_description}
 *       becomes the status; without it, {@code error=true} is an ERROR status; both tags leave the
 *       attributes ({@code error=false} stays);
 *   <li>{@code otel.scope.name}/{@code otel.scope.version} (and the older {@code otel.library.*})
 *       become the instrumentation scope, {@code w3c.tracestate} the trace state;
 *   <li>a log becomes an event whose name is its {@code event} field (a string), removed from the
 *       event attributes; without one the name is empty, as the translator leaves it;
 *   <li>the parent is the explicit parent span id (Thrift), else the first {@code CHILD_OF}
 *       reference within the same trace, else the first {@code FOLLOWS_FROM} within the same
 *       trace; every reference but a {@code CHILD_OF} to the parent becomes a link with an {@code
 *       opentracing.ref_type} attribute ({@code child_of} or {@code follows_from});
 *   <li>times are microseconds (Thrift, JSON) turned into nanoseconds; everything else
 *       ({@code sampler.type}, {@code sampler.param}, ...) stays an attribute.
 * </ul>
 */
final class JaegerMapping {
  static final String TAG_SPAN_KIND = "span.kind";
  static final String TAG_STATUS_CODE = "otel.status_code";
  static final String TAG_STATUS_DESCRIPTION = "otel.status_description";
  static final String TAG_ERROR = "error";
  static final String TAG_SCOPE_NAME = "otel.scope.name";
  static final String TAG_SCOPE_VERSION = "otel.scope.version";
  static final String TAG_LIBRARY_NAME = "otel.library.name";
  static final String TAG_LIBRARY_VERSION = "otel.library.version";
  static final String TAG_TRACE_STATE = "w3c.tracestate";
  static final String LOG_EVENT = "event";
  static final String LINK_REF_TYPE = "opentracing.ref_type";
  static final String REF_CHILD_OF = "child_of";
  static final String REF_FOLLOWS_FROM = "follows_from";

  private static final Attributes CHILD_OF_LINK = Attributes.of(LINK_REF_TYPE, REF_CHILD_OF);
  private static final Attributes FOLLOWS_FROM_LINK =
      Attributes.of(LINK_REF_TYPE, REF_FOLLOWS_FROM);

  /** A Jaeger span reference. */
  record Reference(boolean childOf, TraceId traceId, long spanId) {}

  /** The resource of a process: {@code service.name} first, then the process tags. */
  static Resource resource(String serviceName, Attributes tags) {
    if ((serviceName == null || serviceName.isEmpty()) && tags.isEmpty()) return Resource.EMPTY;
    Attributes.Builder b = Attributes.builder();
    if (serviceName != null && !serviceName.isEmpty()) b.put(Resource.SERVICE_NAME, serviceName);
    return Resource.of(b.putAll(tags).build());
  }

  /**
   * Moves the tags that stand for span fields (kind, status, scope, trace state) into those fields;
   * the rest become the span's attributes.
   */
  static void applySpanTags(Attributes tags, Span.Builder b) {
    String kind = null;
    String statusCode = null;
    String description = null;
    boolean error = false;
    String scopeName = null;
    String scopeVersion = null;
    Attributes.Builder rest = Attributes.builder();
    for (int i = 0; i < tags.size(); i++) {
      String key = tags.key(i);
      AttributeValue value = tags.value(i);
      switch (key) {
        case TAG_SPAN_KIND:
          kind = value.asText();
          break;
        case TAG_STATUS_CODE:
          statusCode = value.asText().trim().toUpperCase(Locale.ROOT);
          break;
        case TAG_STATUS_DESCRIPTION:
          description = value.asText();
          break;
        case TAG_ERROR:
          boolean isTrue = value.type() == AttributeType.BOOLEAN
              ? value.booleanValue() : "true".equalsIgnoreCase(value.asText());
          if (isTrue) {
            error = true;
          } else {
            rest.put(key, value); // error=false is kept, as the translator keeps it
          }
          break;
        case TAG_SCOPE_NAME:
        case TAG_LIBRARY_NAME:
          scopeName = value.asText();
          break;
        case TAG_SCOPE_VERSION:
        case TAG_LIBRARY_VERSION:
          scopeVersion = value.asText();
          break;
        case TAG_TRACE_STATE:
          b.traceState(value.asText());
          break;
        default:
          rest.put(key, value);
      }
    }
    SpanKind parsed = SpanKind.parse(kind);
    b.kind(parsed == null ? SpanKind.UNSPECIFIED : parsed);
    Status status = Status.UNSET;
    if ("ERROR".equals(statusCode) || "2".equals(statusCode)) {
      status = Status.error(description);
    } else if ("OK".equals(statusCode) || "1".equals(statusCode)) {
      status = Status.OK;
    } else if (error) {
      status = Status.error(description);
    } else if (statusCode != null && !"UNSET".equals(statusCode) && !"0".equals(statusCode)) {
      rest.put(TAG_STATUS_CODE, tags.get(TAG_STATUS_CODE)); // not a status: keep it as sent
    }
    if (description != null && !status.isError()) {
      rest.put(TAG_STATUS_DESCRIPTION, description);
    }
    b.status(status);
    b.attributes(rest.build());
    if (scopeName != null || scopeVersion != null) {
      b.scope(InstrumentationScope.of(scopeName, scopeVersion));
    }
  }

  /** An event from a log: the string {@code event} field is its name. */
  static SpanEvent event(long epochNanos, Attributes fields) {
    AttributeValue event = fields.get(LOG_EVENT);
    if (event != null && event.type() == AttributeType.STRING) {
      return SpanEvent.of(epochNanos, event.stringValue(),
          fields.toBuilder().remove(LOG_EVENT).build());
    }
    return SpanEvent.of(epochNanos, "", fields);
  }

  /**
   * Sets the parent and links from the explicit parent span id (0 when the format has none) and
   * the references, as Jaeger's {@code Span.ParentSpanID()} and the translator do.
   */
  static void applyReferences(
      Span.Builder b, TraceId traceId, long explicitParent, List<Reference> references) {
    long parent = explicitParent;
    if (parent == 0) {
      long followsFrom = 0;
      for (Reference ref : references) {
        if (!ref.traceId().equals(traceId) || ref.spanId() == 0) continue;
        if (ref.childOf()) {
          parent = ref.spanId();
          break;
        }
        if (followsFrom == 0) followsFrom = ref.spanId();
      }
      if (parent == 0) parent = followsFrom;
    }
    b.parentSpanId(parent);
    for (Reference ref : references) {
      if (ref.childOf() && ref.spanId() == parent && ref.traceId().equals(traceId)) continue;
      b.addLink(SpanLink.of(ref.traceId(), ref.spanId(),
          ref.childOf() ? CHILD_OF_LINK : FOLLOWS_FROM_LINK));
    }
  }

  /** True when a link came from a {@code CHILD_OF} reference (see {@link #applyReferences}). */
  static boolean isChildOfLink(SpanLink link) {
    AttributeValue type = link.attributes().get(LINK_REF_TYPE);
    return type != null && REF_CHILD_OF.equals(type.asText());
  }

  /** True when a link came from a {@code FOLLOWS_FROM} reference. */
  static boolean isFollowsFromLink(SpanLink link) {
    AttributeValue type = link.attributes().get(LINK_REF_TYPE);
    return type != null && REF_FOLLOWS_FROM.equals(type.asText());
  }

  /** Microseconds to nanoseconds, naming the field when negative or out of range. */
  static long microsToNanos(long micros, String field) {
    if (micros < 0) throw new CodecException(field + ": must not be negative");
    try {
      return Math.multiplyExact(micros, 1000L);
    } catch (ArithmeticException e) {
      throw new CodecException(field + ": out of range");
    }
  }

  /** Sets start and end from microsecond start and duration. */
  static void times(Span.Builder b, long startMicros, long durationMicros, String path) {
    long start = microsToNanos(startMicros, path + ".startTime");
    long duration = microsToNanos(durationMicros, path + ".duration");
    try {
      b.startEpochNanos(start).endEpochNanos(Math.addExact(start, duration));
    } catch (ArithmeticException e) {
      throw new CodecException(path + ".duration: out of range");
    }
  }

  /**
   * Builds the span, naming the field when its ids are invalid: {@code traceId} all zero or
   * {@code spanId} zero.
   */
  static Span build(Span.Builder b, String path, String traceIdField, String spanIdField) {
    if (!b.traceId().isValid()) {
      throw new CodecException(path + "." + traceIdField + ": must not be zero");
    }
    if (b.spanId() == 0) {
      throw new CodecException(path + "." + spanIdField + ": must not be zero");
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CodecException(path + ": " + e.getMessage());
    }
  }

  private JaegerMapping() {}
}
