package dev.spanwise.codec.zipkin;

import dev.spanwise.codec.CodecException;
import dev.spanwise.model.AttributeType;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.Status;
import dev.spanwise.model.StatusCode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Zipkin v2 span to model span, shared by the JSON and proto3 decoders so that both map and fail
 * alike. One instance per request: it reuses one {@link Resource} per service name.
 */
final class ZipkinMapping {
  static final String PEER_SERVICE = "peer.service";
  static final String PEER_ADDRESS = "network.peer.address";
  static final String PEER_PORT = "network.peer.port";
  static final String LOCAL_ADDRESS = "network.local.address";
  static final String LOCAL_PORT = "network.local.port";
  static final String TAG_ERROR = "error";
  static final String TAG_STATUS_CODE = "otel.status_code";
  static final String TAG_STATUS_DESCRIPTION = "otel.status_description";
  static final String TAG_SCOPE_NAME = "otel.scope.name";
  static final String TAG_SCOPE_VERSION = "otel.scope.version";
  static final String TAG_LIBRARY_NAME = "otel.library.name";
  static final String TAG_LIBRARY_VERSION = "otel.library.version";
  static final String TAG_SPAN_KIND = "span.kind";

  private final Map<String, Resource> resources = new HashMap<>();

  Span toModel(ZipkinSpanData z, int index) {
    if (z.traceId == null) throw error(index, "traceId", "is required");
    if (!z.traceId.isValid()) throw error(index, "traceId", "must not be all zero");
    if (z.id == 0) throw error(index, "id", z.idPresent ? "must not be all zero" : "is required");
    if (z.timestamp < 0) throw error(index, "timestamp", "must not be negative, was " + z.timestamp);
    if (z.duration < 0) throw error(index, "duration", "must not be negative, was " + z.duration);
    long start;
    long end;
    try {
      start = Math.multiplyExact(z.timestamp, 1000L);
      end = Math.addExact(start, Math.multiplyExact(z.duration, 1000L));
    } catch (ArithmeticException e) {
      throw error(index, "timestamp", "out of range: " + z.timestamp + "+" + z.duration + " µs");
    }

    Span.Builder b = Span.builder()
        .traceId(z.traceId)
        .spanId(z.id)
        .parentSpanId(z.parentId)
        .name(z.name)
        .startEpochNanos(start)
        .endEpochNanos(end);
    String serviceName = z.localEndpoint == null ? null : z.localEndpoint.serviceName;
    b.resource(resource(serviceName));
    if (z.debug) b.flags(1);

    SpanKind kind = z.kind == null ? null : kindOf(z.kind);
    Map<String, String> tags = z.tags;
    String kindTag = tags.get(TAG_SPAN_KIND);
    if (kind == null && kindTag != null && SpanKind.parse(kindTag) != null) {
      kind = SpanKind.parse(kindTag);
    } else {
      kindTag = null; // an explicit kind wins; the tag stays an attribute
    }
    b.kind(kind == null ? SpanKind.UNSPECIFIED : kind);

    Attributes.Builder attributes = Attributes.builder();
    String error = null;
    String statusCode = null;
    String statusDescription = null;
    String scopeName = null;
    String scopeVersion = null;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue();
      switch (key) {
        case TAG_ERROR:
          error = value;
          break;
        case TAG_STATUS_CODE:
          statusCode = value;
          break;
        case TAG_STATUS_DESCRIPTION:
          statusDescription = value;
          break;
        case TAG_SCOPE_NAME:
        case TAG_LIBRARY_NAME:
          scopeName = value;
          break;
        case TAG_SCOPE_VERSION:
        case TAG_LIBRARY_VERSION:
          scopeVersion = value;
          break;
        case TAG_SPAN_KIND:
          if (kindTag == null) attributes.put(key, value);
          break;
        default:
          attributes.put(key, value);
      }
    }
    putEndpoint(attributes, z.localEndpoint, LOCAL_ADDRESS, LOCAL_PORT);
    if (z.remoteEndpoint != null) {
      if (notEmpty(z.remoteEndpoint.serviceName)) {
        attributes.put(PEER_SERVICE, z.remoteEndpoint.serviceName);
      }
      putEndpoint(attributes, z.remoteEndpoint, PEER_ADDRESS, PEER_PORT);
    }
    b.attributes(attributes.build());
    b.status(status(statusCode, statusDescription, error));
    if (scopeName != null || scopeVersion != null) {
      b.scope(InstrumentationScope.of(scopeName, scopeVersion));
    }
    for (ZipkinSpanData.Annotation a : z.annotations) {
      long at;
      try {
        at = Math.multiplyExact(a.timestamp, 1000L);
      } catch (ArithmeticException e) {
        throw error(index, "annotations", "timestamp out of range: " + a.timestamp);
      }
      b.addEvent(SpanEvent.of(at, a.value, Attributes.EMPTY));
    }
    return b.build();
  }

  private Resource resource(String serviceName) {
    if (!notEmpty(serviceName)) return Resource.EMPTY;
    return resources.computeIfAbsent(serviceName, Resource::ofServiceName);
  }

  private static void putEndpoint(
      Attributes.Builder attributes, ZipkinSpanData.Endpoint e, String addressKey, String portKey) {
    if (e == null) return;
    if (notEmpty(e.ipv4)) {
      attributes.put(addressKey, e.ipv4);
    } else if (notEmpty(e.ipv6)) {
      attributes.put(addressKey, e.ipv6);
    }
    if (e.port > 0) attributes.put(portKey, (long) e.port);
  }

  /** otel.status_code wins; otherwise an {@code error} tag means ERROR with its value as message. */
  private static Status status(String code, String description, String error) {
    if (code != null) {
      StatusCode parsed;
      switch (code.trim().toUpperCase(Locale.ROOT)) {
        case "OK":
        case "STATUS_CODE_OK":
          parsed = StatusCode.OK;
          break;
        case "ERROR":
        case "STATUS_CODE_ERROR":
          parsed = StatusCode.ERROR;
          break;
        default:
          parsed = StatusCode.UNSET;
      }
      if (parsed == StatusCode.ERROR) {
        return Status.error(description != null ? description : error);
      }
      if (parsed == StatusCode.OK) return Status.OK;
    }
    if (error != null) return Status.error(error);
    return Status.UNSET;
  }

  /** CLIENT, SERVER, PRODUCER, CONSUMER (any case); null for anything else. */
  static SpanKind kindOf(String zipkinKind) {
    switch (zipkinKind.toUpperCase(Locale.ROOT)) {
      case "CLIENT":
        return SpanKind.CLIENT;
      case "SERVER":
        return SpanKind.SERVER;
      case "PRODUCER":
        return SpanKind.PRODUCER;
      case "CONSUMER":
        return SpanKind.CONSUMER;
      default:
        return null;
    }
  }

  static CodecException error(int index, String field, String problem) {
    return new CodecException("spans[" + index + "]." + field + ": " + problem);
  }

  static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  /** Whether an attribute is a long that fits a port. */
  static int port(AttributeValue v) {
    if (v == null) return 0;
    long port;
    if (v.type() == AttributeType.LONG) {
      port = v.longValue();
    } else if (v.type() == AttributeType.STRING) {
      try {
        port = Long.parseLong(v.stringValue());
      } catch (NumberFormatException e) {
        return 0;
      }
    } else {
      return 0;
    }
    return port > 0 && port <= 65535 ? (int) port : 0;
  }
}
