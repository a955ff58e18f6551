package dev.spanwise.benchmarks.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Encodes generated spans as a Zipkin v2 JSON list, the way OpenTelemetry's Zipkin exporter maps
 * them: INTERNAL spans have no kind, attributes become string tags, events become annotations,
 * an error status becomes the {@code error} tag.
 */
final class ZipkinJsonEncoder {
  private static final JsonFactory JSON = new JsonFactory();

  private ZipkinJsonEncoder() {}

  static byte[] encode(List<LoadSpan> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(spans.size() * 900);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (LoadSpan s : spans) write(g, s);
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator g, LoadSpan s) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", s.traceId().toHex());
    if (!s.isRoot()) g.writeStringField("parentId", Bytes.hex(s.parentSpanId()));
    g.writeStringField("id", Bytes.hex(s.spanId()));
    if (s.kind() != LoadSpan.Kind.INTERNAL) g.writeStringField("kind", s.kind().name());
    g.writeStringField("name", s.name());
    long startMicros = s.startEpochNanos() / 1000;
    g.writeNumberField("timestamp", startMicros);
    g.writeNumberField("duration", Math.max(1, s.endEpochNanos() / 1000 - startMicros));
    g.writeObjectFieldStart("localEndpoint");
    g.writeStringField("serviceName", s.instance().service());
    g.writeStringField("ipv4", s.instance().ipv4());
    g.writeEndObject();
    if (s.remoteService() != null) {
      g.writeObjectFieldStart("remoteEndpoint");
      g.writeStringField("serviceName", s.remoteService());
      if (s.remoteAddress() != null) g.writeStringField("ipv4", s.remoteAddress());
      if (s.remotePort() > 0) g.writeNumberField("port", s.remotePort());
      g.writeEndObject();
    }
    if (!s.events().isEmpty()) {
      g.writeArrayFieldStart("annotations");
      for (LoadSpan.LoadEvent e : s.events()) {
        g.writeStartObject();
        g.writeNumberField("timestamp", e.epochNanos() / 1000);
        g.writeStringField("value", e.name());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeObjectFieldStart("tags");
    for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
      g.writeStringField(a.getKey(), String.valueOf(a.getValue()));
    }
    g.writeStringField("otel.scope.name", s.scopeName());
    if (s.error()) {
      g.writeStringField("otel.status_code", "ERROR");
      g.writeStringField("error", s.statusMessage() == null ? "" : s.statusMessage());
    }
    g.writeEndObject();
    g.writeEndObject();
  }
}
