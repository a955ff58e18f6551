package dev.spanwise.codec.otlp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.internal.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * Reads OTLP/JSON trace data ({@code ExportTraceServiceRequest} or {@code TracesData}) as the
 * OTLP specification defines it: lowerCamelCase field names (the proto's snake_case names are
 * accepted too), trace and span ids as hex strings, enums as integers (their names accepted),
 * 64-bit integers as decimal strings (numbers accepted), bytes values as base64, unknown fields
 * ignored. Errors throw {@link CodecException} naming the field path, e.g. {@code
 * resourceSpans[0].scopeSpans[0].spans[2].traceId: not hex: "xyz"}.
 */
public final class OtlpJsonDecoder {

  /** Parses OTLP/JSON and converts it like {@link OtlpTraceDecoder#decode(byte[])}. */
  public static DecodeResult decode(byte[] json) {
    return OtlpTraceDecoder.decode(parse(json));
  }

  /** Parses OTLP/JSON into the generated message. */
  public static ExportTraceServiceRequest parse(byte[] json) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    read(json, request::addResourceSpans);
    return request.build();
  }

  /** Parses OTLP/JSON into {@code TracesData} (the same JSON layout). */
  public static TracesData parseTracesData(byte[] json) {
    TracesData.Builder data = TracesData.newBuilder();
    read(json, data::addResourceSpans);
    return data.build();
  }

  private interface ResourceSpansSink {
    void add(ResourceSpans resourceSpans);
  }

  private static void read(byte[] json, ResourceSpansSink sink) {
    try (JsonParser p = Json.parser(json)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) throw Json.expected("body", "a JSON object", t);
      String field;
      while ((field = p.nextFieldName()) != null) {
        t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) continue;
        if (field.equals("resourceSpans") || field.equals("resource_spans")) {
          int i = 0;
          for (t = startArray(p, "resourceSpans"); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String at = "resourceSpans[" + i++ + "]";
            expectObject(p, at);
            sink.add(resourceSpans(p, at));
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw Json.notJson(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ResourceSpans resourceSpans(JsonParser p, String path) throws IOException {
    ResourceSpans.Builder b = ResourceSpans.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "resource":
          expectObject(p, path + ".resource");
          b.setResource(resource(p, path + ".resource"));
          break;
        case "scopeSpans":
        case "scope_spans": {
          int i = 0;
          for (t = startArray(p, path + ".scopeSpans"); t != JsonToken.END_ARRAY;
              t = p.nextToken()) {
            String at = path + ".scopeSpans[" + i++ + "]";
            expectObject(p, at);
            b.addScopeSpans(scopeSpans(p, at));
          }
          break;
        }
        case "schemaUrl":
        case "schema_url":
          b.setSchemaUrl(string(p, path + ".schemaUrl"));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static Resource resource(JsonParser p, String path) throws IOException {
    Resource.Builder b = Resource.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "attributes":
          keyValues(p, path + ".attributes", b::addAttributes);
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          b.setDroppedAttributesCount(uint32(p, path + ".droppedAttributesCount"));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static ScopeSpans scopeSpans(JsonParser p, String path) throws IOException {
    ScopeSpans.Builder b = ScopeSpans.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "scope":
          expectObject(p, path + ".scope");
          b.setScope(scope(p, path + ".scope"));
          break;
        case "spans": {
          int i = 0;
          for (t = startArray(p, path + ".spans"); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String at = path + ".spans[" + i++ + "]";
            expectObject(p, at);
            b.addSpans(span(p, at));
          }
          break;
        }
        case "schemaUrl":
        case "schema_url":
          b.setSchemaUrl(string(p, path + ".schemaUrl"));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static InstrumentationScope scope(JsonParser p, String path) throws IOException {
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "name":
          b.setName(string(p, path + ".name"));
          break;
        case "version":
          b.setVersion(string(p, path + ".version"));
          break;
        case "attributes":
          keyValues(p, path + ".attributes", b::addAttributes);
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          b.setDroppedAttributesCount(uint32(p, path + ".droppedAttributesCount"));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static Span span(JsonParser p, String path) throws IOException {
    Span.Builder b = Span.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "traceId":
        case "trace_id":
          b.setTraceId(hexId(p, path + ".traceId"));
          break;
        case "spanId":
        case "span_id":
          b.setSpanId(hexId(p, path + ".spanId"));
          break;
        case "parentSpanId":
        case "parent_span_id":
          b.setParentSpanId(hexId(p, path + ".parentSpanId"));
          break;
        case "traceState":
        case "trace_state":
          b.setTraceState(string(p, path + ".traceState"));
          break;
        case "flags":
          b.setFlags(uint32(p, path + ".flags"));
          break;
        case "name":
          b.setName(string(p, path + ".name"));
          break;
        case "kind":
          b.setKindValue(enumValue(p, path + ".kind", "SPAN_KIND_", KINDS));
          break;
        case "startTimeUnixNano":
        case "start_time_unix_nano":
          b.setStartTimeUnixNano(Json.longValue(p, path + ".startTimeUnixNano"));
          break;
        case "endTimeUnixNano":
        case "end_time_unix_nano":
          b.setEndTimeUnixNano(Json.longValue(p, path + ".endTimeUnixNano"));
          break;
        case "attributes":
          keyValues(p, path + ".attributes", b::addAttributes);
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          b.setDroppedAttributesCount(uint32(p, path + ".droppedAttributesCount"));
          break;
        case "events": {
          int i = 0;
          for (t = startArray(p, path + ".events"); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String at = path + ".events[" + i++ + "]";
            expectObject(p, at);
            b.addEvents(event(p, at));
          }
          break;
        }
        case "droppedEventsCount":
        case "dropped_events_count":
          b.setDroppedEventsCount(uint32(p, path + ".droppedEventsCount"));
          break;
        case "links": {
          int i = 0;
          for (t = startArray(p, path + ".links"); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String at = path + ".links[" + i++ + "]";
            expectObject(p, at);
            b.addLinks(link(p, at));
          }
          break;
        }
        case "droppedLinksCount":
        case "dropped_links_count":
          b.setDroppedLinksCount(uint32(p, path + ".droppedLinksCount"));
          break;
        case "status":
          expectObject(p, path + ".status");
          b.setStatus(status(p, path + ".status"));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static Span.Event event(JsonParser p, String path) throws IOException {
    Span.Event.Builder b = Span.Event.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "timeUnixNano":
        case "time_unix_nano":
          b.setTimeUnixNano(Json.longValue(p, path + ".timeUnixNano"));
          break;
        case "name":
          b.setName(string(p, path + ".name"));
          break;
        case "attributes":
          keyValues(p, path + ".attributes", b::addAttributes);
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          b.setDroppedAttributesCount(uint32(p, path + ".droppedAttributesCount"));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static Span.Link link(JsonParser p, String path) throws IOException {
    Span.Link.Builder b = Span.Link.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "traceId":
        case "trace_id":
          b.setTraceId(hexId(p, path + ".traceId"));
          break;
        case "spanId":
        case "span_id":
          b.setSpanId(hexId(p, path + ".spanId"));
          break;
        case "traceState":
        case "trace_state":
          b.setTraceState(string(p, path + ".traceState"));
          break;
        case "attributes":
          keyValues(p, path + ".attributes", b::addAttributes);
          break;
        case "droppedAttributesCount":
        case "dropped_attributes_count":
          b.setDroppedAttributesCount(uint32(p, path + ".droppedAttributesCount"));
          break;
        case "flags":
          b.setFlags(uint32(p, path + ".flags"));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static final List<String> KINDS =
      List.of("UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER");
  private static final List<String> STATUS_CODES = List.of("UNSET", "OK", "ERROR");

  private static Status status(JsonParser p, String path) throws IOException {
    Status.Builder b = Status.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      switch (field) {
        case "message":
          b.setMessage(string(p, path + ".message"));
          break;
        case "code":
          b.setCodeValue(enumValue(p, path + ".code", "STATUS_CODE_", STATUS_CODES));
          break;
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private interface KeyValueSink {
    void add(KeyValue keyValue);
  }

  private static void keyValues(JsonParser p, String path, KeyValueSink sink) throws IOException {
    int i = 0;
    for (JsonToken t = startArray(p, path); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      String at = path + "[" + i++ + "]";
      expectObject(p, at);
      sink.add(keyValue(p, at));
    }
  }

  private static KeyValue keyValue(JsonParser p, String path) throws IOException {
    KeyValue.Builder b = KeyValue.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      if (field.equals("key")) {
        b.setKey(string(p, path + ".key"));
      } else if (field.equals("value")) {
        expectObject(p, path + ".value");
        b.setValue(anyValue(p, path + ".value"));
      } else {
        p.skipChildren();
      }
    }
    return b.build();
  }

  private static AnyValue anyValue(JsonParser p, String path) throws IOException {
    AnyValue.Builder b = AnyValue.newBuilder();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      String at = path + "." + field;
      switch (field) {
        case "stringValue":
        case "string_value":
          b.setStringValue(string(p, at));
          break;
        case "boolValue":
        case "bool_value":
          if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            b.setBoolValue(t == JsonToken.VALUE_TRUE);
          } else {
            throw Json.expected(at, "a boolean", t);
          }
          break;
        case "intValue":
        case "int_value":
          b.setIntValue(Json.longValue(p, at));
          break;
        case "doubleValue":
        case "double_value":
          b.setDoubleValue(doubleValue(p, at));
          break;
        case "bytesValue":
        case "bytes_value":
          try {
            b.setBytesValue(UnsafeByteOperations.unsafeWrap(
                Base64.getDecoder().decode(string(p, at))));
          } catch (IllegalArgumentException e) {
            if (e instanceof CodecException) throw e;
            throw new CodecException(at + ": not base64: " + e.getMessage());
          }
          break;
        case "arrayValue":
        case "array_value": {
          expectObject(p, at);
          ArrayValue.Builder array = ArrayValue.newBuilder();
          String inner;
          while ((inner = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) continue;
            if (inner.equals("values")) {
              int i = 0;
              for (v = startArray(p, at + ".values"); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                String element = at + ".values[" + i++ + "]";
                expectObject(p, element);
                array.addValues(anyValue(p, element));
              }
            } else {
              p.skipChildren();
            }
          }
          b.setArrayValue(array);
          break;
        }
        case "kvlistValue":
        case "kvlist_value": {
          expectObject(p, at);
          KeyValueList.Builder list = KeyValueList.newBuilder();
          String inner;
          while ((inner = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) continue;
            if (inner.equals("values")) {
              keyValues(p, at + ".values", list::addValues);
            } else {
              p.skipChildren();
            }
          }
          b.setKvlistValue(list);
          break;
        }
        default:
          p.skipChildren();
      }
    }
    return b.build();
  }

  private static double doubleValue(JsonParser p, String path) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText().trim();
      switch (s) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(s);
          } catch (NumberFormatException e) {
            throw new CodecException(path + ": expected a number, was \"" + s + "\"");
          }
      }
    }
    throw Json.expected(path, "a number", t);
  }

  /** An integer, or the enum value's name with or without its prefix. */
  private static int enumValue(JsonParser p, String path, String prefix, List<String> names)
      throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      String name = p.getText().trim();
      String bare = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
      int index = names.indexOf(bare);
      if (index >= 0) return index;
      try {
        return Integer.parseInt(name);
      } catch (NumberFormatException e) {
        throw new CodecException(path + ": unknown value \"" + name + "\"");
      }
    }
    long v = Json.longValue(p, path);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new CodecException(path + ": " + v + " is out of the enum range");
    }
    return (int) v;
  }

  private static int uint32(JsonParser p, String path) throws IOException {
    long v = Json.longValue(p, path);
    if (v < 0 || v > 0xffffffffL) {
      throw new CodecException(path + ": " + v + " is out of the 32-bit unsigned range");
    }
    return (int) v;
  }

  private static ByteString hexId(JsonParser p, String path) throws IOException {
    String hex = string(p, path);
    int n = hex.length();
    if ((n & 1) != 0) {
      throw new CodecException(path + ": hex id must have an even number of digits, was " + n);
    }
    byte[] out = new byte[n / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) throw new CodecException(path + ": not hex: \"" + hex + "\"");
      out[i] = (byte) ((hi << 4) | lo);
    }
    return UnsafeByteOperations.unsafeWrap(out);
  }

  private static String string(JsonParser p, String path) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw Json.expected(path, "a string", p.currentToken());
    }
    return p.getText();
  }

  private static JsonToken startArray(JsonParser p, String path) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw Json.expected(path, "an array", p.currentToken());
    }
    return p.nextToken();
  }

  private static void expectObject(JsonParser p, String path) {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw Json.expected(path, "an object", p.currentToken());
    }
  }

  private OtlpJsonDecoder() {}
}
