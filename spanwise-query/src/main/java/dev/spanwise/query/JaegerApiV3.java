package dev.spanwise.query;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.query.internal.BadParameterException;
import dev.spanwise.query.internal.Json;
import dev.spanwise.query.internal.NotFoundException;
import dev.spanwise.query.internal.Params;
import dev.spanwise.query.internal.Routes;
import dev.spanwise.query.internal.SpanEncoders;
import dev.spanwise.query.internal.StoreQueries;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jaeger's api_v3 over HTTP/JSON, as Jaeger v2 serves it through its gateway: {@code
 * /api/v3/services}, {@code /api/v3/operations}, {@code /api/v3/traces/{trace_id}}, {@code
 * /api/v3/traces} (traces as one OTLP JSON {@code TracesData} under {@code result}) and {@code
 * /api/v3/trace-summaries}. Parameters are accepted in camelCase ({@code query.serviceName}) and in
 * snake_case ({@code query.service_name}).
 */
public final class JaegerApiV3 {
  /** Jaeger's default search depth (traces a search returns). */
  static final int DEFAULT_SEARCH_DEPTH = 100;
  /** Search window when {@code query.start_time_min} is absent. */
  static final long DEFAULT_LOOKBACK_NANOS = 3_600_000_000_000L;

  private final StoreQueries queries;

  public JaegerApiV3(SpanStore store) {
    this(store, QueryOptions.defaults());
  }

  public JaegerApiV3(SpanStore store, QueryOptions options) {
    this.queries = new StoreQueries(store, options);
  }

  /** Adds the routes under {@code /api/v3/}. */
  public void configure(ServerBuilder sb) {
    new Routes(sb, JaegerApiV3::error, queries.executor())
        .get("/api/v3/services", this::services)
        .get("/api/v3/operations", this::operations)
        .get("/api/v3/traces/{trace_id}", this::trace)
        .get("/api/v3/traces", this::findTraces)
        .get("/api/v3/trace-summaries", this::findTraceSummaries);
  }

  private HttpResponse services(ServiceRequestContext ctx, Params params) throws IOException {
    List<String> services = queries.services();
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeFieldName("services");
      Json.writeStrings(json, services);
      json.writeEndObject();
    });
  }

  private HttpResponse operations(ServiceRequestContext ctx, Params params) throws IOException {
    Params.Named service = params.first("service", "query.serviceName", "query.service_name");
    if (service == null) throw new BadParameterException("service", "is required");
    Params.Named kindParam = params.first("spanKind", "span_kind");
    SpanKind kind = kindParam == null ? null
        : Params.parseSpanKind(kindParam.name(), kindParam.value());
    List<Operation> operations = queries.operations(service.value(), kind);
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("operations");
      for (Operation op : operations) {
        json.writeStartObject();
        json.writeStringField("name", op.name());
        json.writeStringField("spanKind", op.kind().lowerCaseName());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private HttpResponse trace(ServiceRequestContext ctx, Params params) throws IOException {
    TraceId id = Params.parseTraceId("trace_id", Routes.pathParam(ctx, "trace_id"));
    List<Span> trace = queries.trace(id, StoreQueries.clockSkewRequested(params));
    if (trace.isEmpty()) throw new NotFoundException("trace not found");
    return result(trace);
  }

  private HttpResponse findTraces(ServiceRequestContext ctx, Params params) throws IOException {
    List<List<Span>> traces =
        queries.searchTraces(parseQuery(params), StoreQueries.clockSkewRequested(params));
    List<Span> spans = new ArrayList<>();
    for (List<Span> trace : traces) spans.addAll(trace);
    return result(spans);
  }

  /**
   * Summaries as Jaeger's trace-summaries endpoint shapes them: {@code {"summaries": [{traceId,
   * rootServiceName, rootOperationName, minStartTimeUnixNano, maxEndTimeUnixNano, spanCount,
   * errorSpanCount, services: [{name, spanCount}]}]}}, nanosecond times as decimal strings.
   */
  private HttpResponse findTraceSummaries(ServiceRequestContext ctx, Params params)
      throws IOException {
    List<TraceSummary> summaries = queries.searchSummaries(parseQuery(params));
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("summaries");
      for (TraceSummary s : summaries) {
        json.writeStartObject();
        json.writeStringField("traceId", s.traceId().toHex());
        json.writeStringField("rootServiceName", s.rootServiceName());
        json.writeStringField("rootOperationName", s.rootSpanName());
        json.writeStringField("minStartTimeUnixNano", Long.toUnsignedString(s.startEpochNanos()));
        json.writeStringField("maxEndTimeUnixNano",
            Long.toUnsignedString(s.startEpochNanos() + s.durationNanos()));
        json.writeNumberField("spanCount", s.spanCount());
        json.writeNumberField("errorSpanCount", s.errorCount());
        json.writeArrayFieldStart("services");
        for (Map.Entry<String, Integer> e : s.spanCountByService().entrySet()) {
          json.writeStartObject();
          json.writeStringField("name", e.getKey());
          json.writeNumberField("spanCount", e.getValue());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  /** Parses {@code query.*} search parameters, camelCase or snake_case. */
  TraceQuery parseQuery(Params params) {
    TraceQuery.Builder q = queries.newQuery()
        .serviceName(params.stringOf("query.serviceName", "query.service_name"))
        .spanName(params.stringOf("query.operationName", "query.operation_name"));

    Params.Named maxParam = params.first("query.startTimeMax", "query.start_time_max");
    long end = maxParam == null ? queries.nowEpochNanos()
        : Params.parseRfc3339(maxParam.name(), maxParam.value());
    Params.Named minParam = params.first("query.startTimeMin", "query.start_time_min");
    long start = minParam == null ? Math.max(0, end - DEFAULT_LOOKBACK_NANOS)
        : Params.parseRfc3339(minParam.name(), minParam.value());
    Params.checkOrder(minParam == null ? "query.start_time_min" : minParam.name(), start,
        maxParam == null ? "query.start_time_max" : maxParam.name(), end);
    q.startEpochNanos(start).endEpochNanos(end);

    Params.Named dMin = params.first("query.durationMin", "query.duration_min");
    Params.Named dMax = params.first("query.durationMax", "query.duration_max");
    Long min = dMin == null ? null : Params.parseDuration(dMin.name(), dMin.value());
    Long max = dMax == null ? null : Params.parseDuration(dMax.name(), dMax.value());
    if (min != null && max != null && max < min) {
      throw new BadParameterException(dMax.name(), "is less than '" + dMin.name() + "'");
    }
    if (min != null) q.minDurationNanos(min);
    if (max != null) q.maxDurationNanos(max);

    Params.Named depth =
        params.first("query.searchDepth", "query.search_depth", "query.num_traces");
    q.limit(depth == null ? DEFAULT_SEARCH_DEPTH
        : Params.parseInt(depth.name(), depth.value(), 1, TraceQuery.MAX_LIMIT));

    String attributes = params.string("query.attributes");
    if (attributes != null) {
      for (Map.Entry<String, String> a : Json.parseStringMap("query.attributes", attributes)
          .entrySet()) {
        if (a.getKey().equals("error") && a.getValue().equalsIgnoreCase("true")) {
          q.errorOnly(true);
        } else {
          q.addAttributeFilter(AttributeFilter.equalTo(a.getKey(), a.getValue()));
        }
      }
    }
    return q.build();
  }

  private static HttpResponse result(List<Span> spans) {
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeFieldName("result");
      SpanEncoders.writeOtlpTracesData(json, spans);
      json.writeEndObject();
    });
  }

  /** The gateway's error shape: {@code {"error": {"httpCode": 400, "message": "..."}}}. */
  static HttpResponse error(ServiceRequestContext ctx, HttpStatus status, String parameter,
      String message) {
    return Json.response(status, json -> {
      json.writeStartObject();
      json.writeObjectFieldStart("error");
      json.writeNumberField("httpCode", status.code());
      json.writeStringField("message", message);
      json.writeEndObject();
      json.writeEndObject();
    });
  }
}
