package dev.spanwise.query.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON responses written with Jackson's streaming generator. */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes a response body. */
  @FunctionalInterface
  public interface Body {
    void writeTo(JsonGenerator json) throws IOException;
  }

  public static HttpResponse ok(Body body) {
    return response(HttpStatus.OK, body);
  }

  /**
   * Renders the body into a buffer from Netty's pool, which Armeria sends and then gives back: a
   * search answer of 20 traces is about half a megabyte, and a byte array grown by doubling and
   * copied out at the end would leave three times that as garbage per answer.
   */
  public static HttpResponse response(HttpStatus status, Body body) {
    ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(INITIAL_BUFFER_BYTES);
    OutputStream out = new ByteBufOutputStream(buf); // an OutputStream, not a DataOutput, to Jackson
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      body.writeTo(json);
    } catch (IOException e) {
      buf.release();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      buf.release();
      throw e;
    }
    return HttpResponse.of(ResponseHeaders.of(status, HttpHeaderNames.CONTENT_TYPE,
        MediaType.JSON_UTF_8), HttpData.wrap(buf));
  }

  private static final int INITIAL_BUFFER_BYTES = 1024;

  public static void writeStrings(JsonGenerator json, List<String> values) throws IOException {
    json.writeStartArray();
    for (String v : values) json.writeString(v);
    json.writeEndArray();
  }

  /**
   * Parses a flat JSON object of strings ({@code {"http.method":"GET"}}); numbers and booleans are
   * taken as their text.
   */
  public static Map<String, String> parseStringMap(String parameter, String text) {
    Map<String, String> result = new LinkedHashMap<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadParameterException(parameter,
            "must be a JSON object of strings such as {\"http.method\":\"GET\"}: " + text);
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        if (key.isEmpty()) throw new BadParameterException(parameter, "has an empty key: " + text);
        JsonToken value = parser.nextToken();
        if (value == null || value.isStructStart() || value == JsonToken.VALUE_NULL) {
          throw new BadParameterException(parameter,
              "must map each key to a string; key '" + key + "' is not: " + text);
        }
        result.put(key, parser.getText());
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new BadParameterException(parameter, "is not a single JSON object: " + text);
      }
    } catch (JsonProcessingException e) {
      throw new BadParameterException(parameter,
          "is not valid JSON (" + e.getOriginalMessage() + "): " + text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  private Json() {}
}
