package dev.spanwise.query.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.spanwise.model.Span;
import java.io.IOException;
import java.util.List;

/**
 * The span renderings the query APIs need, each delegating to spanwise-codec. Encoders not yet in
 * spanwise-codec throw {@link EncoderMissingException} (HTTP 501).
 */
public final class SpanEncoders {
  /** One trace as a Jaeger UI JSON object ({@code traceID}, {@code spans}, {@code processes}). */
  public static void writeJaegerTrace(JsonGenerator json, List<Span> trace) throws IOException {
    throw new EncoderMissingException("Jaeger UI JSON");
  }

  /** One trace as a JSON array of Zipkin v2 spans. */
  public static void writeZipkinTrace(JsonGenerator json, List<Span> trace) throws IOException {
    throw new EncoderMissingException("Zipkin v2 JSON");
  }

  /** Spans of one or more traces as one OTLP JSON {@code TracesData} object (hex ids). */
  public static void writeOtlpTracesData(JsonGenerator json, List<Span> spans) throws IOException {
    throw new EncoderMissingException("OTLP JSON");
  }

  private SpanEncoders() {}
}
