package dev.spanwise.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.spanwise.model.Span;
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
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.TraceQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Zipkin's v2 read API (zipkin2-api.yaml), as Zipkin UI and Grafana's Zipkin data source call it
 * (usually on port 9411). Only GET routes under {@code /api/v2/}: the Zipkin receiver mounts
 * {@code POST /api/v2/spans} on the same server.
 */
public final class ZipkinQueryApi {
  /** Zipkin's default number of traces a search returns. */
  static final int DEFAULT_LIMIT = 10;
  /** Zipkin's default lookback (its QUERY_LOOKBACK): one day. */
  static final long DEFAULT_LOOKBACK_NANOS = 86_400_000_000_000L;
  /** Values autocompleteValues returns at most. */
  static final int AUTOCOMPLETE_VALUES_LIMIT = 1000;

  private final StoreQueries queries;

  public ZipkinQueryApi(SpanStore store) {
    this(store, QueryOptions.defaults());
  }

  public ZipkinQueryApi(SpanStore store, QueryOptions options) {
    this.queries = new StoreQueries(store, options);
  }

  /** Adds the GET routes under {@code /api/v2/}. */
  public void configure(ServerBuilder sb) {
    new Routes(sb, ZipkinQueryApi::error, queries.executor())
        .get("/api/v2/services", this::services)
        .get("/api/v2/spans", this::spanNames)
        .get("/api/v2/remoteServices", this::remoteServices)
        .get("/api/v2/traces", this::searchTraces)
        .get("/api/v2/trace/{traceId}", this::trace)
        .get("/api/v2/traceMany", this::traceMany)
        .get("/api/v2/dependencies", this::dependencies)
        .get("/api/v2/autocompleteKeys", this::autocompleteKeys)
        .get("/api/v2/autocompleteValues", this::autocompleteValues);
  }

  private HttpResponse services(ServiceRequestContext ctx, Params params) throws IOException {
    List<String> services = queries.services();
    return Json.ok(json -> Json.writeStrings(json, services));
  }

  private HttpResponse spanNames(ServiceRequestContext ctx, Params params) throws IOException {
    List<String> names = queries.operationNames(params.required("serviceName"));
    return Json.ok(json -> Json.writeStrings(json, names));
  }

  private HttpResponse remoteServices(ServiceRequestContext ctx, Params params)
      throws IOException {
    List<String> names = queries.remoteServices(params.required("serviceName"));
    return Json.ok(json -> Json.writeStrings(json, names));
  }

  private HttpResponse searchTraces(ServiceRequestContext ctx, Params params) throws IOException {
    List<List<Span>> traces = queries.searchTraces(parseQuery(params));
    return Json.ok(json -> writeTraces(json, traces));
  }

  private HttpResponse trace(ServiceRequestContext ctx, Params params) throws IOException {
    TraceId id = Params.parseTraceId("traceId", Routes.pathParam(ctx, "traceId"));
    List<Span> trace = queries.trace(id);
    if (trace.isEmpty()) throw new NotFoundException("trace " + id.toShortestHex() + " not found");
    return Json.ok(json -> SpanEncoders.writeZipkinTrace(json, trace));
  }

  private HttpResponse traceMany(ServiceRequestContext ctx, Params params) throws IOException {
    String text = params.required("traceIds");
    Set<TraceId> ids = new LinkedHashSet<>();
    for (String part : text.split(",", -1)) {
      if (part.trim().isEmpty()) {
        throw new BadParameterException("traceIds", "has an empty trace id: " + text);
      }
      ids.add(Params.parseTraceId("traceIds", part));
    }
    List<List<Span>> traces = queries.traces(new ArrayList<>(ids));
    return Json.ok(json -> writeTraces(json, traces));
  }

  private HttpResponse dependencies(ServiceRequestContext ctx, Params params) throws IOException {
    if (!params.has("endTs")) throw new BadParameterException("endTs", "is required");
    long end = params.unitsAsNanos("endTs", 1_000_000L);
    Long lookback = params.unitsAsNanos("lookback", 1_000_000L);
    long start = Math.max(0, end - (lookback != null ? lookback : DEFAULT_LOOKBACK_NANOS));
    List<DependencyLink> links = queries.dependencies(start, end);
    return Json.ok(json -> {
      json.writeStartArray();
      for (DependencyLink link : links) {
        json.writeStartObject();
        json.writeStringField("parent", link.parent());
        json.writeStringField("child", link.child());
        json.writeNumberField("callCount", link.callCount());
        json.writeNumberField("errorCount", link.errorCount());
        json.writeEndObject();
      }
      json.writeEndArray();
    });
  }

  private HttpResponse autocompleteKeys(ServiceRequestContext ctx, Params params)
      throws IOException {
    List<String> keys = queries.attributeKeys(null);
    return Json.ok(json -> Json.writeStrings(json, keys));
  }

  private HttpResponse autocompleteValues(ServiceRequestContext ctx, Params params)
      throws IOException {
    List<String> values =
        queries.attributeValues(params.required("key"), "", AUTOCOMPLETE_VALUES_LIMIT);
    return Json.ok(json -> Json.writeStrings(json, values));
  }

  /**
   * Parses a search as zipkin2-api.yaml defines it: durations in microseconds, {@code endTs} and
   * {@code lookback} in milliseconds. {@code remoteServiceName} matches the {@code peer.service}
   * attribute of the matching span.
   */
  TraceQuery parseQuery(Params params) {
    TraceQuery.Builder q = queries.newQuery()
        .serviceName(nameOrAll(params, "serviceName"))
        .spanName(nameOrAll(params, "spanName"));
    String remote = nameOrAll(params, "remoteServiceName");
    if (remote != null) q.addAttributeFilter(AttributeFilter.equalTo("peer.service", remote));
    String annotationQuery = params.string("annotationQuery");
    if (annotationQuery != null) addAnnotationQuery(q, annotationQuery);

    Long min = params.unitsAsNanos("minDuration", 1_000L);
    Long max = params.unitsAsNanos("maxDuration", 1_000L);
    if (min != null && max != null && max < min) {
      throw new BadParameterException("maxDuration", "is less than 'minDuration'");
    }
    if (min != null) q.minDurationNanos(min);
    if (max != null) q.maxDurationNanos(max);

    Long endTs = params.unitsAsNanos("endTs", 1_000_000L);
    long end = endTs != null ? endTs : queries.nowEpochNanos();
    Long lookback = params.unitsAsNanos("lookback", 1_000_000L);
    long start = Math.max(0, end - (lookback != null ? lookback : DEFAULT_LOOKBACK_NANOS));
    q.startEpochNanos(start).endEpochNanos(end);

    q.limit(params.intValue("limit", DEFAULT_LIMIT, 1, TraceQuery.MAX_LIMIT));
    return q.build();
  }

  /** A name parameter; {@code all}, as Zipkin's classic UI sends for "any", counts as absent. */
  private static String nameOrAll(Params params, String name) {
    String v = params.string(name);
    return v == null || v.equalsIgnoreCase("all") ? null : v;
  }

  /**
   * {@code error and http.method=GET}: terms joined by {@code and}; {@code key=value} matches an
   * attribute, a bare key its presence, and {@code error} the error status.
   */
  static void addAnnotationQuery(TraceQuery.Builder q, String text) {
    for (String term : text.split("(?i)\\s+and\\s+")) {
      String t = term.trim();
      String lower = t.toLowerCase(java.util.Locale.ROOT);
      if (t.isEmpty() || lower.equals("and") || lower.startsWith("and ")
          || lower.endsWith(" and")) {
        throw new BadParameterException("annotationQuery", "has an empty term: " + text);
      }
      int eq = t.indexOf('=');
      if (eq == 0) {
        throw new BadParameterException("annotationQuery", "has a term without a key: " + t);
      }
      String key = eq < 0 ? t : t.substring(0, eq).trim();
      String value = eq < 0 ? null : t.substring(eq + 1).trim();
      if (key.equals("error")) {
        q.errorOnly(true);
      } else if (value == null) {
        q.addAttributeFilter(AttributeFilter.exists(key));
      } else {
        q.addAttributeFilter(AttributeFilter.equalTo(key, value));
      }
    }
  }

  private static void writeTraces(JsonGenerator json, List<List<Span>> traces)
      throws IOException {
    json.writeStartArray();
    for (List<Span> trace : traces) SpanEncoders.writeZipkinTrace(json, trace);
    json.writeEndArray();
  }

  /**
   * The error shape zipkin-server answered with: {@code {timestamp, status, error, message, path}},
   * plus the {@code parameter} at fault when there is one.
   */
  static HttpResponse error(ServiceRequestContext ctx, HttpStatus status, String parameter,
      String message) {
    return Json.response(status, json -> {
      json.writeStartObject();
      json.writeNumberField("timestamp", System.currentTimeMillis());
      json.writeNumberField("status", status.code());
      json.writeStringField("error", status.reasonPhrase());
      json.writeStringField("message", message);
      json.writeStringField("path", ctx.path());
      if (parameter != null) json.writeStringField("parameter", parameter);
      json.writeEndObject();
    });
  }
}
