package dev.spanwise.query;

import com.fasterxml.jackson.core.JsonGenerator;
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
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.TraceQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jaeger's v1 HTTP query API, as Jaeger UI and Grafana's Jaeger data source call it (usually on
 * port 16686): {@code /api/services}, {@code /api/services/{service}/operations}, {@code
 * /api/operations}, {@code /api/traces}, {@code /api/traces/{traceID}} and {@code
 * /api/dependencies}, in Jaeger's envelope {@code {"data", "total", "limit", "offset", "errors"}}.
 */
public final class JaegerQueryApi {
  /** Jaeger's default number of traces a search returns. */
  static final int DEFAULT_LIMIT = 100;
  /** Jaeger's default search window when a request gives no start. */
  static final long DEFAULT_LOOKBACK_NANOS = 2 * 86_400_000_000_000L;
  /** Jaeger's default dependency window. */
  static final long DEFAULT_DEPENDENCY_LOOKBACK_NANOS = 86_400_000_000_000L;

  private final StoreQueries queries;

  public JaegerQueryApi(SpanStore store) {
    this(store, QueryOptions.defaults());
  }

  public JaegerQueryApi(SpanStore store, QueryOptions options) {
    this.queries = new StoreQueries(store, options);
  }

  /** Adds the routes under {@code /api/}. */
  public void configure(ServerBuilder sb) {
    new Routes(sb, JaegerQueryApi::error, queries.executor())
        .get("/api/services", this::services)
        .get("/api/services/{service}/operations", this::serviceOperations)
        .get("/api/operations", this::operations)
        .get("/api/traces", this::searchTraces)
        .get("/api/traces/{traceID}", this::trace)
        .get("/api/dependencies", this::dependencies);
  }

  private HttpResponse services(ServiceRequestContext ctx, Params params) throws IOException {
    List<String> services = queries.services();
    return envelope(json -> Json.writeStrings(json, services), services.size(), null);
  }

  private HttpResponse serviceOperations(ServiceRequestContext ctx, Params params)
      throws IOException {
    List<String> names = queries.operationNames(Routes.pathParam(ctx, "service"));
    return envelope(json -> Json.writeStrings(json, names), names.size(), null);
  }

  private HttpResponse operations(ServiceRequestContext ctx, Params params) throws IOException {
    String service = params.required("service");
    SpanKind kind = params.spanKind("spanKind");
    List<Operation> operations = queries.operations(service, kind);
    return envelope(json -> {
      json.writeStartArray();
      for (Operation op : operations) {
        json.writeStartObject();
        json.writeStringField("name", op.name());
        json.writeStringField("spanKind", op.kind().lowerCaseName());
        json.writeEndObject();
      }
      json.writeEndArray();
    }, operations.size(), null);
  }

  private HttpResponse searchTraces(ServiceRequestContext ctx, Params params) throws IOException {
    boolean clockSkew = StoreQueries.clockSkewRequested(params);
    List<String> traceIdParams = params.all("traceID");
    if (!traceIdParams.isEmpty()) return tracesById(traceIdParams, clockSkew);
    List<StoreQueries.AdjustedTrace> traces =
        queries.searchAdjustedTraces(parseQuery(params), clockSkew);
    return envelope(json -> writeTraces(json, traces), traces.size(), null);
  }

  private HttpResponse tracesById(List<String> traceIdParams, boolean clockSkew)
      throws IOException {
    List<TraceId> ids = new ArrayList<>();
    for (String v : traceIdParams) ids.add(Params.parseTraceId("traceID", v));
    List<StoreQueries.AdjustedTrace> traces = queries.adjustedTraces(ids, clockSkew);
    List<TraceId> missing = new ArrayList<>(ids);
    for (StoreQueries.AdjustedTrace trace : traces) missing.remove(trace.spans().get(0).traceId());
    return envelope(json -> writeTraces(json, traces), traces.size(), missing);
  }

  private HttpResponse trace(ServiceRequestContext ctx, Params params) throws IOException {
    TraceId id = Params.parseTraceId("traceID", Routes.pathParam(ctx, "traceID"));
    StoreQueries.AdjustedTrace trace =
        queries.adjustedTrace(id, StoreQueries.clockSkewRequested(params));
    if (trace == null) throw new NotFoundException("trace not found");
    return envelope(json -> writeTraces(json, List.of(trace)), 1, null);
  }

  private HttpResponse dependencies(ServiceRequestContext ctx, Params params) throws IOException {
    Long endTs = params.unitsAsNanos("endTs", 1_000_000L);
    long end = endTs != null ? endTs : queries.nowEpochNanos();
    Long lookback = params.unitsAsNanos("lookback", 1_000_000L);
    long start = Math.max(0, end - (lookback != null ? lookback : DEFAULT_DEPENDENCY_LOOKBACK_NANOS));
    List<DependencyLink> links = queries.dependencies(start, end);
    return envelope(json -> {
      json.writeStartArray();
      for (DependencyLink link : links) {
        json.writeStartObject();
        json.writeStringField("parent", link.parent());
        json.writeStringField("child", link.child());
        json.writeNumberField("callCount", link.callCount());
        json.writeEndObject();
      }
      json.writeEndArray();
    }, links.size(), null);
  }

  /** Parses a search as Jaeger's query parser does, plus {@code lookback} and no required service. */
  TraceQuery parseQuery(Params params) {
    TraceQuery.Builder q = queries.newQuery()
        .serviceName(params.string("service"))
        .spanName(params.string("operation"));

    Long endParam = params.unitsAsNanos("end", 1_000L);
    long end = endParam != null ? endParam : queries.nowEpochNanos();
    Long startParam = params.unitsAsNanos("start", 1_000L);
    long start;
    if (startParam != null) {
      start = startParam;
    } else {
      String lookback = params.string("lookback");
      long lookbackNanos = lookback == null || lookback.equals("custom")
          ? DEFAULT_LOOKBACK_NANOS
          : Params.parseDuration("lookback", lookback);
      start = Math.max(0, end - lookbackNanos);
    }
    Params.checkOrder("start", start, "end", end);
    q.startEpochNanos(start).endEpochNanos(end);

    Long min = params.durationNanos("minDuration");
    Long max = params.durationNanos("maxDuration");
    if (min != null && max != null && max < min) {
      throw new BadParameterException("maxDuration", "is less than 'minDuration'");
    }
    if (min != null) q.minDurationNanos(min);
    if (max != null) q.maxDurationNanos(max);

    int limit = params.intValue("limit", DEFAULT_LIMIT, 0, TraceQuery.MAX_LIMIT);
    q.limit(limit == 0 ? DEFAULT_LIMIT : limit);

    for (Map.Entry<String, String> tag : parseTags(params).entrySet()) {
      addTag(q, tag.getKey(), tag.getValue());
    }
    return q.build();
  }

  /** {@code tag=k:v} (repeatable) and {@code tags={"k":"v"}} (repeatable); later values win. */
  static Map<String, String> parseTags(Params params) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String tag : params.all("tag")) {
      int colon = tag.indexOf(':');
      if (colon <= 0) {
        throw new BadParameterException("tag", "must be key:value, was " + tag);
      }
      tags.put(tag.substring(0, colon), tag.substring(colon + 1));
    }
    for (String json : params.all("tags")) tags.putAll(Json.parseStringMap("tags", json));
    return tags;
  }

  /**
   * Jaeger tags with a meaning in the OTLP model become conditions on it: {@code error=true} and
   * {@code otel.status_code=ERROR} the error status, {@code span.kind} the span kind; the rest
   * match span or resource attributes.
   */
  private static void addTag(TraceQuery.Builder q, String key, String value) {
    if (key.equals("error") && value.equalsIgnoreCase("true")
        || key.equals("otel.status_code") && value.equalsIgnoreCase("ERROR")) {
      q.errorOnly(true);
    } else if (key.equals("span.kind")) {
      q.spanKind(Params.parseSpanKind("tags", value));
    } else {
      q.addAttributeFilter(AttributeFilter.equalTo(key, value));
    }
  }

  private static void writeTraces(JsonGenerator json, List<StoreQueries.AdjustedTrace> traces)
      throws IOException {
    json.writeStartArray();
    for (StoreQueries.AdjustedTrace trace : traces) {
      SpanEncoders.writeJaegerTrace(json, trace.spans(), trace::warnings);
    }
    json.writeEndArray();
  }

  /** Jaeger's envelope; {@code missing} traces become 404 entries in {@code errors}. */
  private static HttpResponse envelope(Json.Body data, int total, List<TraceId> missing) {
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeFieldName("data");
      data.writeTo(json);
      json.writeNumberField("total", total);
      json.writeNumberField("limit", 0);
      json.writeNumberField("offset", 0);
      json.writeFieldName("errors");
      if (missing == null || missing.isEmpty()) {
        json.writeNull();
      } else {
        json.writeStartArray();
        for (TraceId id : missing) {
          json.writeStartObject();
          json.writeNumberField("code", 404);
          json.writeStringField("msg", "trace not found");
          json.writeStringField("traceID", id.toShortestHex());
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    });
  }

  /** Jaeger's error form: {@code data} null and {@code errors: [{code, msg}]}, with the status. */
  static HttpResponse error(ServiceRequestContext ctx, HttpStatus status, String parameter,
      String message) {
    return Json.response(status, json -> {
      json.writeStartObject();
      json.writeNullField("data");
      json.writeNumberField("total", 0);
      json.writeNumberField("limit", 0);
      json.writeNumberField("offset", 0);
      json.writeArrayFieldStart("errors");
      json.writeStartObject();
      json.writeNumberField("code", status.code());
      json.writeStringField("msg", message);
      json.writeEndObject();
      json.writeEndArray();
      json.writeEndObject();
    });
  }
}
