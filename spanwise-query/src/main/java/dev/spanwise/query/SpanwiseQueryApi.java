package dev.spanwise.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.spanwise.analysis.ClockSkewAdjuster;
import dev.spanwise.analysis.TraceAnalysis;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import dev.spanwise.query.internal.AnalysisJson;
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
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Spanwise's own query API under {@code /api/spanwise/}, the one the Spanwise UI uses. See the
 * module README for every route, parameter and response shape.
 */
public final class SpanwiseQueryApi {
  /** Search window when {@code start} is absent and no {@code lookback} is given. */
  static final long DEFAULT_LOOKBACK_NANOS = 3_600_000_000_000L;
  /** Dependency window when {@code start} is absent. */
  static final long DEFAULT_DEPENDENCY_LOOKBACK_NANOS = 86_400_000_000_000L;
  static final int DEFAULT_VALUES_LIMIT = 100;
  static final int MAX_VALUES_LIMIT = 1000;

  private final StoreQueries queries;

  public SpanwiseQueryApi(SpanStore store) {
    this(store, QueryOptions.defaults());
  }

  public SpanwiseQueryApi(SpanStore store, QueryOptions options) {
    this.queries = new StoreQueries(store, options);
  }

  /** Adds the routes under {@code /api/spanwise/}. */
  public void configure(ServerBuilder sb) {
    new Routes(sb, SpanwiseQueryApi::error, queries.executor())
        .get("/api/spanwise/capabilities", this::capabilities)
        .get("/api/spanwise/services", this::services)
        .get("/api/spanwise/operations", this::operations)
        .get("/api/spanwise/search", this::search)
        .get("/api/spanwise/traces/{traceId}", this::trace)
        .get("/api/spanwise/traces/{traceId}/analysis", this::analysis)
        .get("/api/spanwise/attributes/keys", this::attributeKeys)
        .get("/api/spanwise/attributes/values", this::attributeValues)
        .get("/api/spanwise/dependencies", this::dependencies);
  }

  private HttpResponse capabilities(ServiceRequestContext ctx, Params params) {
    TreeSet<StorageCapability> capabilities = new TreeSet<>(queries.capabilities());
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("capabilities");
      for (StorageCapability c : capabilities) json.writeString(c.name());
      json.writeEndArray();
      json.writeEndObject();
    });
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
    List<Operation> operations =
        queries.operations(params.required("service"), params.spanKind("kind"));
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("operations");
      for (Operation op : operations) {
        json.writeStartObject();
        json.writeStringField("name", op.name());
        json.writeStringField("kind", op.kind().lowerCaseName());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private HttpResponse search(ServiceRequestContext ctx, Params params) throws IOException {
    List<TraceSummary> summaries = queries.searchSummaries(parseQuery(params));
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("traces");
      for (TraceSummary s : summaries) writeSummary(json, s);
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  private HttpResponse trace(ServiceRequestContext ctx, Params params) throws IOException {
    ReadTrace read = readTrace(ctx, params);
    List<Span> trace = read.spans();
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeFieldName("summary");
      writeSummary(json, TraceSummary.of(trace));
      json.writeFieldName("trace");
      SpanEncoders.writeOtlpTracesData(json, trace);
      json.writeBooleanField("clockSkewCorrected", read.clockSkew() != null);
      json.writeFieldName("warnings");
      AnalysisJson.writeWarnings(json, read.clockSkew());
      json.writeEndObject();
    });
  }

  private HttpResponse analysis(ServiceRequestContext ctx, Params params) throws IOException {
    ReadTrace read = readTrace(ctx, params);
    TraceAnalysis analysis = TraceAnalysis.of(read.spans());
    return Json.ok(json -> AnalysisJson.writeAnalysis(json, analysis, read.clockSkew()));
  }

  /** A trace as read and adjusted, with the clock-skew result when correction ran. */
  private record ReadTrace(List<Span> spans, ClockSkewAdjuster.Result clockSkew) {}

  /** The trace of the path; clock skew corrected last (unless turned off), keeping warnings. */
  private ReadTrace readTrace(ServiceRequestContext ctx, Params params) throws IOException {
    TraceId id = Params.parseTraceId("traceId", Routes.pathParam(ctx, "traceId"));
    StoreQueries.AdjustedTrace read =
        queries.adjustedTrace(id, StoreQueries.clockSkewRequested(params));
    if (read == null) throw new NotFoundException("trace " + id.toHex() + " not found");
    return new ReadTrace(read.spans(), read.clockSkew());
  }

  private HttpResponse attributeKeys(ServiceRequestContext ctx, Params params) throws IOException {
    List<String> keys = queries.attributeKeys(params.string("service"));
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeFieldName("keys");
      Json.writeStrings(json, keys);
      json.writeEndObject();
    });
  }

  private HttpResponse attributeValues(ServiceRequestContext ctx, Params params)
      throws IOException {
    String key = params.required("key");
    String prefix = params.string("prefix");
    int limit = params.intValue("limit", DEFAULT_VALUES_LIMIT, 1, MAX_VALUES_LIMIT);
    List<String> values = queries.attributeValues(key, prefix, limit);
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeFieldName("values");
      Json.writeStrings(json, values);
      json.writeEndObject();
    });
  }

  private HttpResponse dependencies(ServiceRequestContext ctx, Params params) throws IOException {
    Long endParam = time(params, "end");
    long end = endParam != null ? endParam : queries.nowEpochNanos();
    Long startParam = time(params, "start");
    long start = startParam != null ? startParam
        : Math.max(0, end - DEFAULT_DEPENDENCY_LOOKBACK_NANOS);
    Params.checkOrder("start", start, "end", end);
    List<DependencyLink> links = queries.dependencies(start, end);
    return Json.ok(json -> {
      json.writeStartObject();
      json.writeArrayFieldStart("dependencies");
      for (DependencyLink link : links) {
        json.writeStartObject();
        json.writeStringField("parent", link.parent());
        json.writeStringField("child", link.child());
        json.writeNumberField("callCount", link.callCount());
        json.writeNumberField("errorCount", link.errorCount());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    });
  }

  TraceQuery parseQuery(Params params) {
    TraceQuery.Builder q = queries.newQuery()
        .serviceName(params.string("service"))
        .spanName(params.string("operation"))
        .spanKind(params.spanKind("kind"))
        .errorOnly(params.bool("error", false));
    for (String attr : params.all("attr")) {
      int eq = attr.indexOf('=');
      if (eq == 0) throw new BadParameterException("attr", "has no key: " + attr);
      q.addAttributeFilter(eq < 0 ? AttributeFilter.exists(attr)
          : AttributeFilter.equalTo(attr.substring(0, eq), attr.substring(eq + 1)));
    }

    Long min = params.durationNanos("minDuration");
    Long max = params.durationNanos("maxDuration");
    if (min != null && max != null && max < min) {
      throw new BadParameterException("maxDuration", "is less than 'minDuration'");
    }
    if (min != null) q.minDurationNanos(min);
    if (max != null) q.maxDurationNanos(max);

    Long endParam = time(params, "end");
    long end = endParam != null ? endParam : queries.nowEpochNanos();
    Long startParam = time(params, "start");
    long start;
    if (startParam != null) {
      start = startParam;
    } else {
      Long lookback = params.durationNanos("lookback");
      start = Math.max(0, end - (lookback != null ? lookback : DEFAULT_LOOKBACK_NANOS));
    }
    Params.checkOrder("start", start, "end", end);
    q.startEpochNanos(start).endEpochNanos(end);

    q.limit(params.intValue("limit", TraceQuery.DEFAULT_LIMIT, 1, TraceQuery.MAX_LIMIT));
    return q.build();
  }

  /** Microseconds since the epoch as an integer, or an RFC 3339 time; nanoseconds, or null. */
  static Long time(Params params, String name) {
    String v = params.string(name);
    if (v == null) return null;
    if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
      return params.unitsAsNanos(name, 1_000L);
    }
    if (v.indexOf('T') > 0) return Params.parseRfc3339(name, v);
    throw new BadParameterException(name,
        "must be microseconds since the epoch or an RFC 3339 time, was " + v);
  }

  /** The summary shape of {@code /search} and {@code /traces/{id}}. */
  static void writeSummary(JsonGenerator json, TraceSummary s) throws IOException {
    json.writeStartObject();
    json.writeStringField("traceId", s.traceId().toHex());
    json.writeStringField("rootServiceName", s.rootServiceName());
    json.writeStringField("rootSpanName", s.rootSpanName());
    json.writeStringField("startTimeUnixNano", Long.toString(s.startEpochNanos()));
    json.writeNumberField("startTimeUnixMicros", s.startEpochNanos() / 1_000L);
    json.writeNumberField("durationNanos", s.durationNanos());
    json.writeNumberField("spanCount", s.spanCount());
    json.writeNumberField("errorCount", s.errorCount());
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

  /** {@code {"error": {"status": 400, "parameter": "limit", "message": "..."}}}. */
  static HttpResponse error(ServiceRequestContext ctx, HttpStatus status, String parameter,
      String message) {
    return Json.response(status, json -> {
      json.writeStartObject();
      json.writeObjectFieldStart("error");
      json.writeNumberField("status", status.code());
      if (parameter != null) json.writeStringField("parameter", parameter);
      json.writeStringField("message", message);
      json.writeEndObject();
      json.writeEndObject();
    });
  }
}
