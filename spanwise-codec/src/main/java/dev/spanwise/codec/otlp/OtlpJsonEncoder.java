package dev.spanwise.codec.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.spanwise.codec.internal.Json;
import dev.spanwise.model.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.List;

/**
 * Writes OTLP/JSON as the OTLP specification defines it: lowerCamelCase names, trace and span ids
 * as lower-case hex, enums as integers, 64-bit integers as decimal strings, bytes values as base64,
 * and (as proto3 JSON does) fields at their default value left out.
 */
public final class OtlpJsonEncoder {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Model spans as an OTLP/JSON {@code ExportTraceServiceRequest} (same layout as TracesData). */
  public static byte[] encode(List<Span> spans) {
    List<ResourceSpans> resourceSpans = OtlpTraceEncoder.resourceSpans(spans);
    return Json.toBytes(g -> write(resourceSpans, g));
  }

  public static void encode(List<Span> spans, OutputStream out) throws IOException {
    List<ResourceSpans> resourceSpans = OtlpTraceEncoder.resourceSpans(spans);
    Json.write(out, g -> write(resourceSpans, g));
  }

  public static byte[] toJson(ExportTraceServiceRequest request) {
    return Json.toBytes(g -> write(request.getResourceSpansList(), g));
  }

  public static byte[] toJson(TracesData data) {
    return Json.toBytes(g -> write(data.getResourceSpansList(), g));
  }

  public static void write(ExportTraceServiceRequest request, JsonGenerator g) throws IOException {
    write(request.getResourceSpansList(), g);
  }

  public static void write(TracesData data, JsonGenerator g) throws IOException {
    write(data.getResourceSpansList(), g);
  }

  static void write(List<ResourceSpans> resourceSpansList, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("resourceSpans");
    for (ResourceSpans rs : resourceSpansList) {
      g.writeStartObject();
      if (rs.hasResource()) writeResource(rs.getResource(), g);
      g.writeArrayFieldStart("scopeSpans");
      for (ScopeSpans ss : rs.getScopeSpansList()) writeScopeSpans(ss, g);
      g.writeEndArray();
      if (!rs.getSchemaUrl().isEmpty()) g.writeStringField("schemaUrl", rs.getSchemaUrl());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeResource(Resource resource, JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("resource");
    writeAttributes(resource.getAttributesList(), g);
    writeCount("droppedAttributesCount", resource.getDroppedAttributesCount(), g);
    g.writeEndObject();
  }

  private static void writeScopeSpans(ScopeSpans ss, JsonGenerator g) throws IOException {
    g.writeStartObject();
    if (ss.hasScope()) {
      InstrumentationScope scope = ss.getScope();
      g.writeObjectFieldStart("scope");
      writeString("name", scope.getName(), g);
      writeString("version", scope.getVersion(), g);
      writeAttributes(scope.getAttributesList(), g);
      writeCount("droppedAttributesCount", scope.getDroppedAttributesCount(), g);
      g.writeEndObject();
    }
    g.writeArrayFieldStart("spans");
    for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) writeSpan(span, g);
    g.writeEndArray();
    if (!ss.getSchemaUrl().isEmpty()) g.writeStringField("schemaUrl", ss.getSchemaUrl());
    g.writeEndObject();
  }

  private static void writeSpan(io.opentelemetry.proto.trace.v1.Span span, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    writeHex("traceId", span.getTraceId(), g);
    writeHex("spanId", span.getSpanId(), g);
    writeString("traceState", span.getTraceState(), g);
    writeHex("parentSpanId", span.getParentSpanId(), g);
    if (span.getFlags() != 0) g.writeNumberField("flags", Integer.toUnsignedLong(span.getFlags()));
    writeString("name", span.getName(), g);
    if (span.getKindValue() != 0) g.writeNumberField("kind", span.getKindValue());
    writeFixed64("startTimeUnixNano", span.getStartTimeUnixNano(), g);
    writeFixed64("endTimeUnixNano", span.getEndTimeUnixNano(), g);
    writeAttributes(span.getAttributesList(), g);
    writeCount("droppedAttributesCount", span.getDroppedAttributesCount(), g);
    if (span.getEventsCount() > 0) {
      g.writeArrayFieldStart("events");
      for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
        g.writeStartObject();
        writeFixed64("timeUnixNano", event.getTimeUnixNano(), g);
        writeString("name", event.getName(), g);
        writeAttributes(event.getAttributesList(), g);
        writeCount("droppedAttributesCount", event.getDroppedAttributesCount(), g);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    writeCount("droppedEventsCount", span.getDroppedEventsCount(), g);
    if (span.getLinksCount() > 0) {
      g.writeArrayFieldStart("links");
      for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
        g.writeStartObject();
        writeHex("traceId", link.getTraceId(), g);
        writeHex("spanId", link.getSpanId(), g);
        writeString("traceState", link.getTraceState(), g);
        writeAttributes(link.getAttributesList(), g);
        writeCount("droppedAttributesCount", link.getDroppedAttributesCount(), g);
        if (link.getFlags() != 0) {
          g.writeNumberField("flags", Integer.toUnsignedLong(link.getFlags()));
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    writeCount("droppedLinksCount", span.getDroppedLinksCount(), g);
    if (span.hasStatus()) {
      Status status = span.getStatus();
      g.writeObjectFieldStart("status");
      writeString("message", status.getMessage(), g);
      if (status.getCodeValue() != 0) g.writeNumberField("code", status.getCodeValue());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeAttributes(List<KeyValue> attributes, JsonGenerator g)
      throws IOException {
    if (attributes.isEmpty()) return;
    g.writeFieldName("attributes");
    writeKeyValues(attributes, g);
  }

  private static void writeKeyValues(List<KeyValue> keyValues, JsonGenerator g)
      throws IOException {
    g.writeStartArray();
    for (KeyValue kv : keyValues) {
      g.writeStartObject();
      g.writeStringField("key", kv.getKey());
      if (kv.hasValue()) {
        g.writeFieldName("value");
        writeAnyValue(kv.getValue(), g);
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeAnyValue(AnyValue value, JsonGenerator g) throws IOException {
    g.writeStartObject();
    switch (value.getValueCase()) {
      case STRING_VALUE:
        g.writeStringField("stringValue", value.getStringValue());
        break;
      case BOOL_VALUE:
        g.writeBooleanField("boolValue", value.getBoolValue());
        break;
      case INT_VALUE:
        g.writeStringField("intValue", Long.toString(value.getIntValue()));
        break;
      case DOUBLE_VALUE: {
        double d = value.getDoubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          g.writeStringField("doubleValue",
              Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        } else {
          g.writeNumberField("doubleValue", d);
        }
        break;
      }
      case BYTES_VALUE:
        g.writeStringField("bytesValue",
            Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
        break;
      case ARRAY_VALUE:
        g.writeObjectFieldStart("arrayValue");
        g.writeArrayFieldStart("values");
        for (AnyValue element : value.getArrayValue().getValuesList()) writeAnyValue(element, g);
        g.writeEndArray();
        g.writeEndObject();
        break;
      case KVLIST_VALUE:
        g.writeObjectFieldStart("kvlistValue");
        g.writeFieldName("values");
        writeKeyValues(value.getKvlistValue().getValuesList(), g);
        g.writeEndObject();
        break;
      default: // empty (OTLP's null)
    }
    g.writeEndObject();
  }

  private static void writeHex(String field, ByteString id, JsonGenerator g) throws IOException {
    int n = id.size();
    if (n == 0) return;
    char[] out = new char[n * 2];
    for (int i = 0; i < n; i++) {
      int b = id.byteAt(i) & 0xff;
      out[2 * i] = HEX[b >>> 4];
      out[2 * i + 1] = HEX[b & 0xf];
    }
    g.writeFieldName(field);
    g.writeString(out, 0, out.length);
  }

  private static void writeString(String field, String value, JsonGenerator g) throws IOException {
    if (!value.isEmpty()) g.writeStringField(field, value);
  }

  private static void writeFixed64(String field, long value, JsonGenerator g) throws IOException {
    if (value != 0) g.writeStringField(field, Long.toUnsignedString(value));
  }

  private static void writeCount(String field, int value, JsonGenerator g) throws IOException {
    if (value != 0) g.writeNumberField(field, Integer.toUnsignedLong(value));
  }

  private OtlpJsonEncoder() {}
}
