package dev.spanwise.codec.zipkin;

import static dev.spanwise.codec.zipkin.ZipkinMapping.LOCAL_ADDRESS;
import static dev.spanwise.codec.zipkin.ZipkinMapping.LOCAL_PORT;
import static dev.spanwise.codec.zipkin.ZipkinMapping.PEER_ADDRESS;
import static dev.spanwise.codec.zipkin.ZipkinMapping.PEER_PORT;
import static dev.spanwise.codec.zipkin.ZipkinMapping.PEER_SERVICE;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.spanwise.codec.internal.Json;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.StatusCode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Encodes model spans as Zipkin v2 JSON, as the Zipkin read API returns them: {@code
 * /api/v2/trace/{id}} is an array of spans ({@link #encodeSpans}), {@code /api/v2/traces} an array
 * of such arrays ({@link #encodeTraces}). See the module README for the mapping.
 */
public final class ZipkinJsonEncoder {

  public static byte[] encodeSpans(List<Span> spans) {
    return Json.toBytes(g -> writeSpans(spans, g));
  }

  public static void encodeSpans(List<Span> spans, OutputStream out) throws IOException {
    Json.write(out, g -> writeSpans(spans, g));
  }

  public static byte[] encodeTraces(List<List<Span>> traces) {
    return Json.toBytes(g -> writeTraces(traces, g));
  }

  public static void encodeTraces(List<List<Span>> traces, OutputStream out) throws IOException {
    Json.write(out, g -> writeTraces(traces, g));
  }

  /** Writes an array of arrays of spans. */
  public static void writeTraces(List<List<Span>> traces, JsonGenerator g) throws IOException {
    g.writeStartArray();
    for (List<Span> trace : traces) writeSpans(trace, g);
    g.writeEndArray();
  }

  /**
   * Writes an array of spans. A SERVER span whose id is also the id of a CLIENT span in the list
   * is written {@code "shared": true}, as Zipkin marks the server side of a shared RPC span.
   */
  public static void writeSpans(List<Span> spans, JsonGenerator g) throws IOException {
    Set<Long> clientIds = null;
    for (Span span : spans) {
      if (span.kind() == SpanKind.CLIENT) {
        if (clientIds == null) clientIds = new HashSet<>();
        clientIds.add(span.spanId());
      }
    }
    g.writeStartArray();
    for (Span span : spans) {
      boolean shared = clientIds != null && span.kind() == SpanKind.SERVER
          && clientIds.contains(span.spanId());
      writeSpan(span, shared, g);
    }
    g.writeEndArray();
  }

  /** Writes one span object. */
  public static void writeSpan(Span span, JsonGenerator g) throws IOException {
    writeSpan(span, false, g);
  }

  static void writeSpan(Span span, boolean shared, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", span.traceId().toShortestHex());
    if (!span.isRoot()) g.writeStringField("parentId", SpanId.toHex(span.parentSpanId()));
    g.writeStringField("id", SpanId.toHex(span.spanId()));
    String kind = zipkinKind(span.kind());
    if (kind != null) g.writeStringField("kind", kind);
    if (!span.name().isEmpty()) g.writeStringField("name", span.name());
    if (span.startEpochNanos() != 0) {
      g.writeNumberField("timestamp", span.startEpochNanos() / 1000);
      long durationNanos = span.durationNanos();
      if (durationNanos > 0) g.writeNumberField("duration", Math.max(1, durationNanos / 1000));
    }
    Attributes attributes = span.attributes();
    String serviceName = span.resource().attributes().getString(Resource.SERVICE_NAME);
    writeEndpoint(g, "localEndpoint", serviceName,
        attributes.getString(LOCAL_ADDRESS), ZipkinMapping.port(attributes.get(LOCAL_PORT)));
    writeEndpoint(g, "remoteEndpoint", attributes.getString(PEER_SERVICE),
        attributes.getString(PEER_ADDRESS), ZipkinMapping.port(attributes.get(PEER_PORT)));
    if (!span.events().isEmpty()) {
      g.writeArrayFieldStart("annotations");
      for (SpanEvent event : span.events()) {
        g.writeStartObject();
        g.writeNumberField("timestamp", event.epochNanos() / 1000);
        g.writeStringField("value", annotationValue(event));
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    writeTags(span, g);
    if (shared) g.writeBooleanField("shared", true);
    g.writeEndObject();
  }

  private static void writeTags(Span span, JsonGenerator g) throws IOException {
    Attributes attributes = span.attributes();
    Attributes resource = span.resource().attributes();
    boolean started = false;
    for (int i = 0; i < attributes.size(); i++) {
      String key = attributes.key(i);
      if (isEndpointAttribute(key, attributes)) continue;
      started = startTags(g, started);
      g.writeStringField(key, attributes.value(i).asText());
    }
    for (int i = 0; i < resource.size(); i++) {
      String key = resource.key(i);
      if (key.equals(Resource.SERVICE_NAME) || attributes.get(key) != null) continue;
      started = startTags(g, started);
      g.writeStringField(key, resource.value(i).asText());
    }
    if (span.kind() == SpanKind.INTERNAL && attributes.get(ZipkinMapping.TAG_SPAN_KIND) == null) {
      started = startTags(g, started);
      g.writeStringField(ZipkinMapping.TAG_SPAN_KIND, "internal");
    }
    if (!span.scope().name().isEmpty()) {
      started = startTags(g, started);
      g.writeStringField(ZipkinMapping.TAG_SCOPE_NAME, span.scope().name());
    }
    if (!span.scope().version().isEmpty()) {
      started = startTags(g, started);
      g.writeStringField(ZipkinMapping.TAG_SCOPE_VERSION, span.scope().version());
    }
    if (span.status().code() == StatusCode.ERROR) {
      started = startTags(g, started);
      g.writeStringField(ZipkinMapping.TAG_ERROR, span.status().message());
    } else if (span.status().code() == StatusCode.OK) {
      started = startTags(g, started);
      g.writeStringField(ZipkinMapping.TAG_STATUS_CODE, "OK");
    }
    if (started) g.writeEndObject();
  }

  /** Attributes that became endpoint fields instead of tags. */
  private static boolean isEndpointAttribute(String key, Attributes attributes) {
    switch (key) {
      case PEER_SERVICE:
        return attributes.get(key).type() == dev.spanwise.model.AttributeType.STRING;
      case LOCAL_ADDRESS:
      case PEER_ADDRESS:
        return ipField(attributes.getString(key)) != null;
      case LOCAL_PORT:
      case PEER_PORT:
        return ZipkinMapping.port(attributes.get(key)) > 0;
      default:
        return false;
    }
  }

  private static boolean startTags(JsonGenerator g, boolean started) throws IOException {
    if (!started) g.writeObjectFieldStart("tags");
    return true;
  }

  private static void writeEndpoint(
      JsonGenerator g, String field, String serviceName, String address, int port)
      throws IOException {
    boolean hasService = serviceName != null && !serviceName.isEmpty();
    String ipField = ipField(address);
    boolean hasAddress = ipField != null;
    if (!hasService && !hasAddress && port == 0) return;
    g.writeObjectFieldStart(field);
    if (hasService) g.writeStringField("serviceName", serviceName);
    if (hasAddress) g.writeStringField(ipField, address);
    if (port > 0) g.writeNumberField("port", port);
    g.writeEndObject();
  }

  /**
   * "ipv4" or "ipv6" when {@code address} is an IP literal of that family, else null (a host name
   * stays a tag: Zipkin endpoints hold only IP addresses).
   */
  static String ipField(String address) {
    if (address == null || address.isEmpty()) return null;
    if (address.indexOf(':') >= 0) {
      for (int i = 0; i < address.length(); i++) {
        char c = address.charAt(i);
        if (c != ':' && c != '.' && Character.digit(c, 16) < 0) return null;
      }
      return "ipv6";
    }
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) return null;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3) return null;
      for (int i = 0; i < part.length(); i++) {
        if (part.charAt(i) < '0' || part.charAt(i) > '9') return null;
      }
      if (Integer.parseInt(part) > 255) return null;
    }
    return "ipv4";
  }

  /** The event name, followed by its attributes as a JSON object when it has any. */
  private static String annotationValue(SpanEvent event) {
    if (event.attributes().isEmpty()) return event.name();
    return event.name() + " " + AttributeValue.ofMap(event.attributes()).asText();
  }

  static String zipkinKind(SpanKind kind) {
    switch (kind) {
      case CLIENT:
        return "CLIENT";
      case SERVER:
        return "SERVER";
      case PRODUCER:
        return "PRODUCER";
      case CONSUMER:
        return "CONSUMER";
      default:
        return null;
    }
  }

  private ZipkinJsonEncoder() {}
}
