package dev.spanwise.codec.jaeger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.internal.Json;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.TraceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the Jaeger query API's JSON back into model spans: the inverse of {@link
 * JaegerJsonEncoder} (for tests and for importing traces exported from Jaeger UI), with the same
 * mapping as the Thrift and protobuf decoders ({@link JaegerMapping}): kind, status, scope and
 * trace state come back from their tags, the parent from the first {@code CHILD_OF} reference
 * within the trace, the other references as links. What Jaeger cannot hold (link attributes other
 * than the reference type, dropped counts, typed array and map values) does not come back. Errors
 * name the field path.
 */
public final class JaegerJsonDecoder {

  /** Decodes one trace object ({@code {"traceID","spans","processes"}}). */
  public static List<Span> decodeTrace(byte[] json) {
    List<List<Span>> traces = decodeTraces(json);
    if (traces.size() != 1) {
      throw new CodecException("body: expected one trace, was " + traces.size());
    }
    return traces.get(0);
  }

  /**
   * Decodes a query API response ({@code {"data":[trace...]}}), an array of trace objects, or one
   * trace object.
   */
  public static List<List<Span>> decodeTraces(byte[] json) {
    try (JsonParser p = Json.parser(json)) {
      JsonToken t = p.nextToken();
      List<List<Span>> traces = new ArrayList<>();
      if (t == JsonToken.START_ARRAY) {
        readTraceArray(p, "body", traces);
      } else if (t == JsonToken.START_OBJECT) {
        readTopLevelObject(p, traces);
      } else {
        throw Json.expected("body", "a Jaeger trace or response object", t);
      }
      return traces;
    } catch (JsonProcessingException e) {
      throw Json.notJson(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void readTopLevelObject(JsonParser p, List<List<Span>> traces) throws IOException {
    TraceReader trace = new TraceReader("");
    boolean sawData = false;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (field.equals("data")) {
        if (t == JsonToken.VALUE_NULL) continue;
        if (t != JsonToken.START_ARRAY) throw Json.expected("data", "an array", t);
        readTraceArray(p, "data", traces);
        sawData = true;
      } else {
        trace.readField(p, field);
      }
    }
    if (!sawData) traces.add(trace.finish());
  }

  private static void readTraceArray(JsonParser p, String path, List<List<Span>> traces)
      throws IOException {
    int i = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = path + "[" + i + "]";
      if (t != JsonToken.START_OBJECT) throw Json.expected(at, "a trace object", t);
      TraceReader trace = new TraceReader(at + ".");
      String field;
      while ((field = p.nextFieldName()) != null) {
        p.nextToken();
        trace.readField(p, field);
      }
      traces.add(trace.finish());
      i++;
    }
  }

  /** Collects one trace; spans are resolved against processes once both have been read. */
  private static final class TraceReader {
    final String prefix;
    final List<PendingSpan> spans = new ArrayList<>();
    final Map<String, Resource> processes = new HashMap<>();

    TraceReader(String prefix) {
      this.prefix = prefix;
    }

    void readField(JsonParser p, String field) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) return;
      switch (field) {
        case "spans": {
          if (t != JsonToken.START_ARRAY) throw Json.expected(prefix + "spans", "an array", t);
          int i = 0;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = prefix + "spans[" + i + "]";
            if (t != JsonToken.START_OBJECT) throw Json.expected(at, "an object", t);
            spans.add(readSpan(p, at));
            i++;
          }
          break;
        }
        case "processes": {
          if (t != JsonToken.START_OBJECT) {
            throw Json.expected(prefix + "processes", "an object", t);
          }
          String id;
          while ((id = p.nextFieldName()) != null) {
            t = p.nextToken();
            String at = prefix + "processes." + id;
            if (t != JsonToken.START_OBJECT) throw Json.expected(at, "an object", t);
            processes.put(id, readProcess(p, at));
          }
          break;
        }
        default:
          p.skipChildren(); // traceID, warnings
      }
    }

    List<Span> finish() {
      List<Span> out = new ArrayList<>(spans.size());
      for (PendingSpan pending : spans) {
        Resource resource = pending.process;
        if (resource == null && pending.processId != null) {
          resource = processes.get(pending.processId);
          if (resource == null) {
            throw new CodecException(pending.path + ".processID: no process \""
                + pending.processId + "\" in " + prefix + "processes");
          }
        }
        out.add(pending.builder.resource(resource == null ? Resource.EMPTY : resource).build());
      }
      return out;
    }
  }

  private static final class PendingSpan {
    final String path;
    final Span.Builder builder;
    String processId;
    Resource process;

    PendingSpan(String path, Span.Builder builder) {
      this.path = path;
      this.builder = builder;
    }
  }

  private static Resource readProcess(JsonParser p, String path) throws IOException {
    String serviceName = null;
    Attributes tags = Attributes.EMPTY;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      if (field.equals("serviceName")) {
        serviceName = string(p, path + ".serviceName");
      } else if (field.equals("tags")) {
        tags = readTags(p, path + ".tags");
      } else {
        p.skipChildren();
      }
    }
    return JaegerMapping.resource(serviceName, tags);
  }

  private static PendingSpan readSpan(JsonParser p, String path) throws IOException {
    TraceId traceId = null;
    long spanId = 0;
    String name = "";
    long startMicros = 0;
    long durationMicros = 0;
    int flags = 0;
    Attributes tags = Attributes.EMPTY;
    List<SpanEvent> events = new ArrayList<>(0);
    List<String[]> references = new ArrayList<>(1);
    String processId = null;
    Resource process = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      String at = path + "." + field;
      switch (field) {
        case "traceID":
          traceId = traceId(string(p, at), at);
          break;
        case "spanID":
          spanId = spanId(string(p, at), at);
          break;
        case "operationName":
          name = string(p, at);
          break;
        case "startTime":
          startMicros = Json.longValue(p, at);
          break;
        case "duration":
          durationMicros = Json.longValue(p, at);
          break;
        case "flags":
          flags = (int) Json.longValue(p, at);
          break;
        case "tags":
          tags = readTags(p, at);
          break;
        case "logs":
          readLogs(p, at, events);
          break;
        case "references":
          readReferences(p, at, references);
          break;
        case "processID":
          processId = string(p, at);
          break;
        case "process":
          if (t != JsonToken.START_OBJECT) throw Json.expected(at, "an object", t);
          process = readProcess(p, at);
          break;
        default:
          p.skipChildren();
      }
    }
    if (traceId == null) throw new CodecException(path + ".traceID: is required");
    if (!traceId.isValid()) throw new CodecException(path + ".traceID: must not be all zero");
    if (spanId == 0) throw new CodecException(path + ".spanID: is required and must not be zero");
    Span.Builder b = Span.builder()
        .traceId(traceId)
        .spanId(spanId)
        .name(name)
        .flags(flags)
        .events(events);
    JaegerMapping.times(b, startMicros, durationMicros, path);
    List<JaegerMapping.Reference> refs = new ArrayList<>(references.size());
    for (int i = 0; i < references.size(); i++) {
      String[] ref = references.get(i);
      String at = path + ".references[" + i + "]";
      boolean childOf;
      if (ref[0] == null || "CHILD_OF".equalsIgnoreCase(ref[0])) {
        childOf = true;
      } else if ("FOLLOWS_FROM".equalsIgnoreCase(ref[0])) {
        childOf = false;
      } else {
        throw new CodecException(at + ".refType: expected CHILD_OF or FOLLOWS_FROM, was \""
            + ref[0] + "\"");
      }
      refs.add(new JaegerMapping.Reference(
          childOf, traceId(ref[1], at + ".traceID"), spanId(ref[2], at + ".spanID")));
    }
    JaegerMapping.applyReferences(b, traceId, 0, refs);
    JaegerMapping.applySpanTags(tags, b);
    PendingSpan pending = new PendingSpan(path, b);
    pending.processId = processId;
    pending.process = process;
    return pending;
  }

  private static void readReferences(JsonParser p, String path, List<String[]> out)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw Json.expected(path, "an array", p.currentToken());
    }
    int i = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = path + "[" + i + "]";
      if (t != JsonToken.START_OBJECT) throw Json.expected(at, "an object", t);
      String[] ref = new String[3];
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_NULL) continue;
        switch (field) {
          case "refType":
            ref[0] = string(p, at + ".refType");
            break;
          case "traceID":
            ref[1] = string(p, at + ".traceID");
            break;
          case "spanID":
            ref[2] = string(p, at + ".spanID");
            break;
          default:
            p.skipChildren();
        }
      }
      if (ref[1] == null) throw new CodecException(at + ".traceID: is required");
      if (ref[2] == null) throw new CodecException(at + ".spanID: is required");
      out.add(ref);
      i++;
    }
  }

  private static void readLogs(JsonParser p, String path, List<SpanEvent> out) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw Json.expected(path, "an array", p.currentToken());
    }
    int i = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = path + "[" + i + "]";
      if (t != JsonToken.START_OBJECT) throw Json.expected(at, "an object", t);
      long timestamp = 0;
      Attributes fields = Attributes.EMPTY;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_NULL) continue;
        if (field.equals("timestamp")) {
          timestamp = Json.longValue(p, at + ".timestamp");
        } else if (field.equals("fields")) {
          fields = readTags(p, at + ".fields");
        } else {
          p.skipChildren();
        }
      }
      out.add(JaegerMapping.event(
          JaegerMapping.microsToNanos(timestamp, at + ".timestamp"), fields));
      i++;
    }
  }

  /** Reads {@code [{"key","type","value"}...]}. */
  static Attributes readTags(JsonParser p, String path) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw Json.expected(path, "an array", p.currentToken());
    }
    Attributes.Builder b = Attributes.builder();
    int i = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = path + "[" + i + "]";
      if (t != JsonToken.START_OBJECT) throw Json.expected(at, "an object", t);
      String key = null;
      String type = null;
      JsonToken valueToken = null;
      String valueText = null;
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        switch (field) {
          case "key":
            key = string(p, at + ".key");
            break;
          case "type":
            type = string(p, at + ".type");
            break;
          case "value":
            if (!v.isScalarValue() && v != JsonToken.VALUE_NULL) {
              throw Json.expected(at + ".value", "a string, number or boolean", v);
            }
            valueToken = v;
            valueText = p.getText();
            break;
          default:
            p.skipChildren();
        }
      }
      if (key == null) throw new CodecException(at + ".key: is required");
      if (valueToken == null || valueToken == JsonToken.VALUE_NULL) {
        throw new CodecException(at + ".value: is required");
      }
      b.put(key, tagValue(type, valueToken, valueText, at));
      i++;
    }
    return b.build();
  }

  private static AttributeValue tagValue(String type, JsonToken token, String text, String at) {
    if (type == null) {
      switch (token) {
        case VALUE_TRUE:
        case VALUE_FALSE:
          type = "bool";
          break;
        case VALUE_NUMBER_INT:
          type = "int64";
          break;
        case VALUE_NUMBER_FLOAT:
          type = "float64";
          break;
        default:
          type = "string";
      }
    }
    try {
      switch (type.toLowerCase(Locale.ROOT)) {
        case "string":
          return AttributeValue.of(text);
        case "bool":
          if (token == JsonToken.VALUE_TRUE || "true".equalsIgnoreCase(text)) {
            return AttributeValue.of(true);
          }
          if (token == JsonToken.VALUE_FALSE || "false".equalsIgnoreCase(text)) {
            return AttributeValue.of(false);
          }
          throw new CodecException(at + ".value: expected a boolean, was \"" + text + "\"");
        case "int64":
          return AttributeValue.of(Long.parseLong(text.trim()));
        case "float64":
          return AttributeValue.of(Double.parseDouble(text.trim()));
        case "binary":
          return AttributeValue.ofBytes(Base64.getDecoder().decode(text.trim()));
        default:
          throw new CodecException(at + ".type: unknown tag type \"" + type
              + "\" (expected string, bool, int64, float64 or binary)");
      }
    } catch (NumberFormatException e) {
      throw new CodecException(at + ".value: not a " + type + ": \"" + text + "\"");
    } catch (IllegalArgumentException e) {
      if (e instanceof CodecException) throw e;
      throw new CodecException(at + ".value: not base64: " + e.getMessage());
    }
  }

  private static String string(JsonParser p, String field) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw Json.expected(field, "a string", p.currentToken());
    }
    return p.getText();
  }

  private static TraceId traceId(String hex, String field) {
    try {
      return TraceId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new CodecException(field + ": " + e.getMessage());
    }
  }

  private static long spanId(String hex, String field) {
    try {
      return SpanId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new CodecException(field + ": " + e.getMessage());
    }
  }

  private JaegerJsonDecoder() {}
}
