package dev.spanwise.codec.zipkin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.internal.Json;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.TraceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a JSON array of Zipkin v2 spans (the body of {@code POST /api/v2/spans}) into model
 * spans. See the module README for the mapping. Bad input throws {@link CodecException} naming the
 * span and field: {@code spans[2].traceId: ...}.
 */
public final class ZipkinJsonDecoder {

  public static List<Span> decode(byte[] json) {
    try (JsonParser p = Json.parser(json)) {
      return decode(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Span> decode(InputStream json) {
    try (JsonParser p = Json.parser(json)) {
      return decode(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Span> decode(JsonParser p) throws IOException {
    try {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY) throw Json.expected("body", "a JSON array of spans", t);
      List<Span> spans = new ArrayList<>();
      ZipkinMapping mapping = new ZipkinMapping();
      FieldPath path = new FieldPath();
      int index = 0;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.START_OBJECT) {
          throw Json.expected("spans[" + index + "]", "an object", t);
        }
        path.span = index;
        spans.add(mapping.toModel(readSpan(p, path), index));
        index++;
      }
      return spans;
    } catch (JsonProcessingException e) {
      throw Json.notJson(e);
    }
  }

  private static ZipkinSpanData readSpan(JsonParser p, FieldPath path) throws IOException {
    ZipkinSpanData z = new ZipkinSpanData();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      path.field(field);
      switch (field) {
        case "traceId":
          z.traceId = traceId(string(p, path), path);
          break;
        case "id":
          z.id = spanId(string(p, path), path);
          z.idPresent = true;
          break;
        case "parentId":
          z.parentId = spanId(string(p, path), path);
          break;
        case "kind":
          z.kind = string(p, path);
          break;
        case "name":
          z.name = string(p, path);
          break;
        case "timestamp":
          z.timestamp = Json.longValue(p, path);
          break;
        case "duration":
          z.duration = Json.longValue(p, path);
          break;
        case "localEndpoint":
          z.localEndpoint = endpoint(p, path);
          break;
        case "remoteEndpoint":
          z.remoteEndpoint = endpoint(p, path);
          break;
        case "annotations":
          annotations(p, z, path);
          break;
        case "tags":
          tags(p, z, path);
          break;
        case "debug":
          z.debug = bool(p, path);
          break;
        case "shared":
          z.shared = bool(p, path);
          break;
        default:
          p.skipChildren();
      }
    }
    return z;
  }

  /**
   * Where the decoder is, {@code spans[3].annotations[1].value}: set as it goes and made into a
   * string only for an error message, so that a valid body builds no names.
   */
  private static final class FieldPath {
    int span;
    private String field;
    private int element = -1;
    private String member;

    FieldPath field(String name) {
      field = name;
      element = -1;
      member = null;
      return this;
    }

    FieldPath element(int index) {
      element = index;
      member = null;
      return this;
    }

    FieldPath member(String name) {
      member = name;
      return this;
    }

    @Override
    public String toString() {
      return "spans[" + span + "]." + field + (element >= 0 ? "[" + element + "]" : "")
          + (member != null ? "." + member : "");
    }
  }

  static TraceId traceId(String hex, Object field) {
    try {
      return TraceId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new CodecException(field + ": " + e.getMessage());
    }
  }

  static long spanId(String hex, Object field) {
    try {
      return SpanId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new CodecException(field + ": " + e.getMessage());
    }
  }

  private static String string(JsonParser p, Object field) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw Json.expected(field, "a string", p.currentToken());
    }
    return p.getText();
  }

  private static boolean bool(JsonParser p, Object field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE) return true;
    if (t == JsonToken.VALUE_FALSE) return false;
    throw Json.expected(field, "a boolean", t);
  }

  private static ZipkinSpanData.Endpoint endpoint(JsonParser p, FieldPath path)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw Json.expected(path, "an object", p.currentToken());
    }
    ZipkinSpanData.Endpoint e = new ZipkinSpanData.Endpoint();
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      path.member(name);
      switch (name) {
        case "serviceName":
          e.serviceName = string(p, path);
          break;
        case "ipv4":
          e.ipv4 = string(p, path);
          break;
        case "ipv6":
          e.ipv6 = string(p, path);
          break;
        case "port":
          long port = Json.longValue(p, path);
          if (port < 0 || port > 65535) {
            throw new CodecException(path + ": must be 0 to 65535, was " + port);
          }
          e.port = (int) port;
          break;
        default:
          p.skipChildren();
      }
    }
    return e;
  }

  private static void annotations(JsonParser p, ZipkinSpanData z, FieldPath path)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw Json.expected(path, "an array", p.currentToken());
    }
    int i = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      path.element(i);
      if (t != JsonToken.START_OBJECT) throw Json.expected(path, "an object", t);
      long timestamp = 0;
      String value = null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_NULL) continue;
        if (name.equals("timestamp")) {
          timestamp = Json.longValue(p, path.member("timestamp"));
        } else if (name.equals("value")) {
          value = string(p, path.member("value"));
        } else {
          p.skipChildren();
        }
      }
      if (value == null) throw new CodecException(path.member("value") + ": is required");
      if (timestamp < 0) {
        throw new CodecException(path.member("timestamp") + ": must not be negative");
      }
      z.annotations.add(new ZipkinSpanData.Annotation(timestamp, value));
      i++;
    }
  }

  private static void tags(JsonParser p, ZipkinSpanData z, FieldPath path) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw Json.expected(path, "an object", p.currentToken());
    }
    String key;
    while ((key = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) continue;
      if (!t.isScalarValue()) throw Json.expected(path.member(key), "a string", t);
      z.tags.put(key, p.getText()); // Zipkin tags are strings; numbers and booleans as sent
    }
  }

  private ZipkinJsonDecoder() {}
}
