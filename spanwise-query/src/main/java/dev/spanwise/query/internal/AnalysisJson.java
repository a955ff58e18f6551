package dev.spanwise.query.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.spanwise.analysis.ClockSkewAdjuster;
import dev.spanwise.analysis.CriticalPath;
import dev.spanwise.analysis.TraceAnalysis;
import dev.spanwise.analysis.TraceStatistics;
import dev.spanwise.analysis.TraceTree;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the analysis of one trace (critical path, self and critical-path time per span, clock-skew
 * warnings, statistics) and the warnings list of Spanwise's trace response. Ids are hex; spans are
 * identified by {@code spanId} with {@code kind}, which tells apart the two sides of a Zipkin
 * shared span.
 */
public final class AnalysisJson {

  /** Clock-skew warnings by span instance, empty when no correction ran. */
  public static Map<Span, ClockSkewAdjuster.Adjustment> adjustmentsBySpan(
      ClockSkewAdjuster.Result clockSkew) {
    Map<Span, ClockSkewAdjuster.Adjustment> result = new IdentityHashMap<>();
    if (clockSkew != null) {
      for (ClockSkewAdjuster.Adjustment a : clockSkew.adjustments()) result.put(a.adjusted(), a);
    }
    return result;
  }

  /** {@code [{"spanId", "kind", "deltaNanos", "message"}]} in tree order. */
  public static void writeWarnings(JsonGenerator json, ClockSkewAdjuster.Result clockSkew)
      throws IOException {
    json.writeStartArray();
    if (clockSkew != null) {
      for (ClockSkewAdjuster.Adjustment a : clockSkew.adjustments()) {
        json.writeStartObject();
        json.writeStringField("spanId", SpanId.toHex(a.adjusted().spanId()));
        json.writeStringField("kind", a.adjusted().kind().lowerCaseName());
        json.writeNumberField("deltaNanos", a.deltaNanos());
        json.writeStringField("message", a.warning());
        json.writeEndObject();
      }
    }
    json.writeEndArray();
  }

  /** The body of {@code GET /api/spanwise/traces/{traceId}/analysis}. */
  public static void writeAnalysis(JsonGenerator json, TraceAnalysis analysis,
      ClockSkewAdjuster.Result clockSkew) throws IOException {
    List<Span> spans = analysis.spans();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (Span s : spans) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.endEpochNanos());
    }
    Map<Span, ClockSkewAdjuster.Adjustment> adjustments = adjustmentsBySpan(clockSkew);

    json.writeStartObject();
    json.writeStringField("traceId", spans.get(0).traceId().toHex());
    json.writeBooleanField("clockSkewCorrected", clockSkew != null);
    json.writeStringField("startTimeUnixNano", Long.toString(start));
    json.writeNumberField("startTimeUnixMicros", start / 1_000L);
    json.writeNumberField("durationNanos", end - start);

    json.writeArrayFieldStart("criticalPath");
    for (CriticalPath.Path path : analysis.criticalPath().paths()) {
      json.writeStartObject();
      Span root = path.root().span();
      json.writeStringField("rootSpanId", SpanId.toHex(root.spanId()));
      json.writeStringField("rootKind", root.kind().lowerCaseName());
      json.writeNumberField("durationNanos", path.durationNanos());
      json.writeArrayFieldStart("segments");
      for (CriticalPath.Segment s : path.segments()) {
        json.writeStartObject();
        json.writeStringField("spanId", SpanId.toHex(s.spanId()));
        json.writeStringField("kind", s.span().kind().lowerCaseName());
        json.writeStringField("startTimeUnixNano", Long.toString(s.startEpochNanos()));
        json.writeStringField("endTimeUnixNano", Long.toString(s.endEpochNanos()));
        json.writeNumberField("startOffsetNanos", s.startEpochNanos() - start);
        json.writeNumberField("endOffsetNanos", s.endEpochNanos() - start);
        json.writeNumberField("durationNanos", s.durationNanos());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();

    json.writeArrayFieldStart("spans");
    for (TraceTree.Node node : analysis.tree().nodes()) {
      Span span = node.span();
      json.writeStartObject();
      json.writeStringField("spanId", SpanId.toHex(span.spanId()));
      json.writeStringField("kind", span.kind().lowerCaseName());
      if (node.parent() == null) {
        json.writeNullField("parentSpanId");
      } else {
        json.writeStringField("parentSpanId", SpanId.toHex(node.parent().span().spanId()));
      }
      json.writeStringField("serviceName", span.serviceName());
      json.writeStringField("name", span.name());
      json.writeNumberField("depth", node.depth());
      json.writeBooleanField("orphan", node.isOrphan());
      json.writeBooleanField("asynchronous", node.isAsynchronous());
      json.writeNumberField("startOffsetNanos", span.startEpochNanos() - start);
      json.writeNumberField("durationNanos", span.durationNanos());
      json.writeNumberField("selfTimeNanos", analysis.selfTime().nanos(node));
      json.writeNumberField("criticalPathNanos", analysis.criticalPath().criticalPathNanos(node));
      json.writeArrayFieldStart("warnings");
      ClockSkewAdjuster.Adjustment adjustment = adjustments.get(span);
      if (adjustment != null) json.writeString(adjustment.warning());
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndArray();

    json.writeArrayFieldStart("statistics");
    for (TraceStatistics.Row row : analysis.statistics().rows()) {
      json.writeStartObject();
      json.writeStringField("serviceName", row.serviceName());
      json.writeStringField("operationName", row.operationName());
      json.writeNumberField("count", row.count());
      json.writeNumberField("totalDurationNanos", row.totalDurationNanos());
      json.writeNumberField("selfTimeNanos", row.selfTimeNanos());
      json.writeNumberField("criticalPathNanos", row.criticalPathNanos());
      json.writeNumberField("minDurationNanos", row.minDurationNanos());
      json.writeNumberField("avgDurationNanos", row.averageDurationNanos());
      json.writeNumberField("maxDurationNanos", row.maxDurationNanos());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private AnalysisJson() {}
}
