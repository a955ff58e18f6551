package dev.spanwise.codec.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.spanwise.codec.CodecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Jackson streaming helpers shared by the JSON codecs. Private to this module. */
public final class Json {
  /** Thread-safe once configured; JSON codecs share it for its buffer recycling. */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .build();

  public static JsonParser parser(byte[] bytes) {
    try {
      return FACTORY.createParser(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonParser parser(InputStream in) {
    try {
      return FACTORY.createParser(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A UTF-8 generator that does not close {@code out}. */
  public static JsonGenerator generator(OutputStream out) {
    try {
      JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes with {@code writer} into a new byte array. */
  public static byte[] toBytes(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = generator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes with {@code writer} into {@code out}, flushing but not closing it. */
  public static void write(OutputStream out, Writer writer) throws IOException {
    try (JsonGenerator g = generator(out)) {
      writer.write(g);
    }
  }

  /** Something that writes JSON. */
  public interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  /** A {@link CodecException} for text that is not JSON, with line and column. */
  public static CodecException notJson(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return new CodecException("body is not valid JSON: " + e.getOriginalMessage() + where, e);
  }

  /** A name for the current token in error messages: "a string", "an array", ... */
  public static String describe(JsonToken token) {
    if (token == null) return "the end of the input";
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.toString();
    }
  }

  /** {@code field} names the field in the message: a string, or a path made into one only here. */
  public static CodecException expected(Object field, String what, JsonToken actual) {
    return new CodecException(field + ": expected " + what + ", was " + describe(actual));
  }

  /** Reads the current token as a long: an integer number or a decimal string of one. */
  public static long longValue(JsonParser p, Object field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new CodecException(field + ": " + p.getText() + " is out of the 64-bit range");
      }
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText().trim();
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        try {
          return Long.parseUnsignedLong(s); // fixed64 values above 2^63 as OTLP/JSON writes them
        } catch (NumberFormatException e2) {
          throw new CodecException(field + ": expected an integer, was \"" + s + "\"");
        }
      }
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.2e18) return (long) d;
      throw new CodecException(field + ": expected an integer, was " + p.getText());
    }
    throw expected(field, "an integer", t);
  }

  private Json() {}
}
