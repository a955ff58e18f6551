package dev.spanwise.query.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.spanwise.codec.jaeger.JaegerJsonEncoder;
import dev.spanwise.codec.otlp.OtlpJsonEncoder;
import dev.spanwise.codec.otlp.OtlpTraceEncoder;
import dev.spanwise.codec.zipkin.ZipkinJsonEncoder;
import dev.spanwise.model.Span;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/** The span renderings the query APIs need, each delegating to spanwise-codec. */
public final class SpanEncoders {
  /**
   * One trace as a Jaeger UI JSON object ({@code traceID}, {@code spans}, {@code processes}), with
   * each span's warnings (Jaeger UI shows them on the span).
   */
  public static void writeJaegerTrace(
      JsonGenerator json, List<Span> trace, Function<Span, List<String>> warnings)
      throws IOException {
    JaegerJsonEncoder.writeTrace(trace, warnings, json);
  }

  /** One trace as a JSON array of Zipkin v2 spans. */
  public static void writeZipkinTrace(JsonGenerator json, List<Span> trace) throws IOException {
    ZipkinJsonEncoder.writeSpans(trace, json);
  }

  /** Spans of one or more traces as one OTLP JSON {@code TracesData} object (hex ids). */
  public static void writeOtlpTracesData(JsonGenerator json, List<Span> spans) throws IOException {
    OtlpJsonEncoder.write(OtlpTraceEncoder.toTracesData(spans), json);
  }

  private SpanEncoders() {}
}
