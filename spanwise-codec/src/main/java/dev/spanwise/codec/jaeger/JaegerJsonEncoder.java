package dev.spanwise.codec.jaeger;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.spanwise.codec.internal.Json;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.StatusCode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Encodes traces as the JSON that Jaeger's query API returns and Jaeger UI and Grafana's Jaeger
 * data source read, following the OpenTelemetry Jaeger translator: the parent becomes a {@code
 * CHILD_OF} reference and links {@code FOLLOWS_FROM} references (or {@code CHILD_OF} when their
 * {@code opentracing.ref_type} attribute says so, as Jaeger's own references decode); kind, status and scope become
 * tags; events become logs with an {@code event} field; each distinct resource becomes one process
 * ({@code p1}, {@code p2}, ...) whose tags are the resource attributes less {@code service.name}.
 *
 * <p>Times are microseconds. An int64 beyond ±(2<sup>53</sup>-1) is written as a JSON string, as
 * Jaeger UI does, so that JavaScript does not round it; arrays and maps are JSON text of type
 * {@code string}; bytes are base64 of type {@code binary}. Everything is streamed through a
 * {@link JsonGenerator}, so a big trace need not be held as text.
 */
public final class JaegerJsonEncoder {
  /** JavaScript's {@code Number.MAX_SAFE_INTEGER}. */
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  static final String TAG_SPAN_KIND = JaegerMapping.TAG_SPAN_KIND;
  static final String TAG_STATUS_CODE = JaegerMapping.TAG_STATUS_CODE;
  static final String TAG_STATUS_DESCRIPTION = JaegerMapping.TAG_STATUS_DESCRIPTION;
  static final String TAG_ERROR = JaegerMapping.TAG_ERROR;
  static final String TAG_SCOPE_NAME = JaegerMapping.TAG_SCOPE_NAME;
  static final String TAG_SCOPE_VERSION = JaegerMapping.TAG_SCOPE_VERSION;
  static final String TAG_TRACE_STATE = JaegerMapping.TAG_TRACE_STATE;
  static final String LOG_EVENT = JaegerMapping.LOG_EVENT;

  /** One trace object: {@code {"traceID", "spans", "processes", "warnings"}}. */
  public static byte[] encodeTrace(List<Span> trace) {
    return Json.toBytes(g -> writeTrace(trace, g));
  }

  public static void encodeTrace(List<Span> trace, OutputStream out) throws IOException {
    Json.write(out, g -> writeTrace(trace, g));
  }

  /**
   * The whole response of Jaeger's {@code /api/traces} and {@code /api/traces/{id}}: {@code
   * {"data":[trace...],"total":n,"limit":0,"offset":0,"errors":null}}.
   */
  public static void encodeTracesResponse(List<List<Span>> traces, OutputStream out)
      throws IOException {
    Json.write(out, g -> writeTracesResponse(traces, g));
  }

  public static byte[] encodeTracesResponse(List<List<Span>> traces) {
    return Json.toBytes(g -> writeTracesResponse(traces, g));
  }

  public static void writeTracesResponse(List<List<Span>> traces, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("data");
    for (List<Span> trace : traces) writeTrace(trace, g);
    g.writeEndArray();
    g.writeNumberField("total", traces.size());
    g.writeNumberField("limit", 0);
    g.writeNumberField("offset", 0);
    g.writeNullField("errors");
    g.writeEndObject();
  }

  /** Writes one trace object. */
  public static void writeTrace(List<Span> trace, JsonGenerator g) throws IOException {
    writeTrace(trace, span -> List.of(), g);
  }

  /**
   * Writes one trace object with each span's {@code warnings} (what read-time adjusters changed,
   * e.g. a clock-skew correction, which Jaeger UI shows on the span); null when a span has none.
   */
  public static void writeTrace(
      List<Span> trace, Function<Span, List<String>> warnings, JsonGenerator g)
      throws IOException {
    Map<Resource, String> processIds = new LinkedHashMap<>();
    Resource lastResource = null;
    String lastProcessId = null;
    g.writeStartObject();
    g.writeStringField("traceID", trace.isEmpty() ? "" : trace.get(0).traceId().toShortestHex());
    g.writeArrayFieldStart("spans");
    for (Span span : trace) {
      Resource resource = span.resource();
      if (resource != lastResource) {
        lastProcessId = processIds.get(resource);
        if (lastProcessId == null) {
          lastProcessId = "p" + (processIds.size() + 1);
          processIds.put(resource, lastProcessId);
        }
        lastResource = resource;
      }
      writeSpan(span, lastProcessId, warnings.apply(span), g);
    }
    g.writeEndArray();
    g.writeObjectFieldStart("processes");
    for (Map.Entry<Resource, String> process : processIds.entrySet()) {
      g.writeObjectFieldStart(process.getValue());
      writeProcess(process.getKey(), g);
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeNullField("warnings");
    g.writeEndObject();
  }

  private static void writeProcess(Resource resource, JsonGenerator g) throws IOException {
    g.writeStringField("serviceName", resource.serviceName());
    g.writeArrayFieldStart("tags");
    Attributes attributes = resource.attributes();
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.key(i).equals(Resource.SERVICE_NAME)) continue;
      writeTag(attributes.key(i), attributes.value(i), g);
    }
    g.writeEndArray();
  }

  static void writeSpan(Span span, String processId, List<String> warnings, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    String traceId = span.traceId().toShortestHex();
    g.writeStringField("traceID", traceId);
    g.writeStringField("spanID", SpanId.toHex(span.spanId()));
    g.writeStringField("operationName", span.name());
    g.writeArrayFieldStart("references");
    if (!span.isRoot() && !parentIsFollowsFromLink(span)) {
      writeReference("CHILD_OF", traceId, span.parentSpanId(), g);
    }
    for (SpanLink link : span.links()) {
      writeReference(JaegerMapping.isChildOfLink(link) ? "CHILD_OF" : "FOLLOWS_FROM",
          link.traceId().toShortestHex(), link.spanId(), g);
    }
    g.writeEndArray();
    g.writeNumberField("flags", span.flags());
    g.writeNumberField("startTime", span.startEpochNanos() / 1000);
    g.writeNumberField("duration", span.durationNanos() / 1000);
    g.writeArrayFieldStart("tags");
    Attributes attributes = span.attributes();
    for (int i = 0; i < attributes.size(); i++) {
      writeTag(attributes.key(i), attributes.value(i), g);
    }
    if (!span.scope().name().isEmpty()) writeStringTag(TAG_SCOPE_NAME, span.scope().name(), g);
    if (!span.scope().version().isEmpty()) {
      writeStringTag(TAG_SCOPE_VERSION, span.scope().version(), g);
    }
    if (span.kind() != SpanKind.UNSPECIFIED) {
      writeStringTag(TAG_SPAN_KIND, span.kind().lowerCaseName(), g);
    }
    StatusCode code = span.status().code();
    if (code != StatusCode.UNSET) writeStringTag(TAG_STATUS_CODE, code.name(), g);
    if (code == StatusCode.ERROR) writeTag(TAG_ERROR, AttributeValue.of(true), g);
    if (!span.status().message().isEmpty()) {
      writeStringTag(TAG_STATUS_DESCRIPTION, span.status().message(), g);
    }
    if (!span.traceState().isEmpty()) writeStringTag(TAG_TRACE_STATE, span.traceState(), g);
    g.writeEndArray();
    g.writeArrayFieldStart("logs");
    for (SpanEvent event : span.events()) {
      g.writeStartObject();
      g.writeNumberField("timestamp", event.epochNanos() / 1000);
      g.writeArrayFieldStart("fields");
      Attributes fields = event.attributes();
      for (int i = 0; i < fields.size(); i++) writeTag(fields.key(i), fields.value(i), g);
      if (fields.get(LOG_EVENT) == null && !event.name().isEmpty()) {
        writeStringTag(LOG_EVENT, event.name(), g);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("processID", processId);
    if (warnings.isEmpty()) {
      g.writeNullField("warnings");
    } else {
      g.writeArrayFieldStart("warnings");
      for (String warning : warnings) g.writeString(warning);
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /**
   * True when the parent came from a Jaeger {@code FOLLOWS_FROM} reference (no {@code CHILD_OF}
   * was sent): that reference is written once, as it came, not also as a {@code CHILD_OF}.
   */
  private static boolean parentIsFollowsFromLink(Span span) {
    for (SpanLink link : span.links()) {
      if (link.spanId() == span.parentSpanId() && link.traceId().equals(span.traceId())
          && JaegerMapping.isFollowsFromLink(link)) {
        return true;
      }
    }
    return false;
  }

  private static void writeReference(String type, String traceId, long spanId, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("refType", type);
    g.writeStringField("traceID", traceId);
    g.writeStringField("spanID", SpanId.toHex(spanId));
    g.writeEndObject();
  }

  private static void writeStringTag(String key, String value, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeStringField("type", "string");
    g.writeStringField("value", value);
    g.writeEndObject();
  }

  static void writeTag(String key, AttributeValue value, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    switch (value.type()) {
      case BOOLEAN:
        g.writeStringField("type", "bool");
        g.writeBooleanField("value", value.booleanValue());
        break;
      case LONG:
        g.writeStringField("type", "int64");
        long v = value.longValue();
        if (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER) {
          g.writeStringField("value", Long.toString(v));
        } else {
          g.writeNumberField("value", v);
        }
        break;
      case DOUBLE:
        g.writeStringField("type", "float64");
        double d = value.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          g.writeStringField("value", Double.toString(d));
        } else {
          g.writeNumberField("value", d);
        }
        break;
      case BYTES:
        g.writeStringField("type", "binary");
        g.writeStringField("value", Base64.getEncoder().encodeToString(value.bytesValue()));
        break;
      default: // strings, and arrays and maps as JSON text
        g.writeStringField("type", "string");
        g.writeStringField("value", value.asText());
    }
    g.writeEndObject();
  }

  private JaegerJsonEncoder() {}
}
