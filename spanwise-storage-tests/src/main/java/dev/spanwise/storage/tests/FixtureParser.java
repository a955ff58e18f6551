package dev.spanwise.storage.tests;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.StatusCode;
import dev.spanwise.model.TraceId;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the fixture format described in the module README into model spans. */
final class FixtureParser {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final long NANOS_PER_MS = 1_000_000L;
  private static final long NANOS_PER_US = 1_000L;

  private static final Set<String> DOCUMENT_FIELDS =
      Set.of("description", "resources", "scopes", "traces");
  private static final Set<String> TRACE_FIELDS =
      Set.of("name", "description", "traceId", "startMs", "spans");
  private static final Set<String> SPAN_FIELDS = Set.of("spanId", "parentSpanId", "resource",
      "scope", "name", "kind", "startMs", "startUs", "durationMs", "durationUs", "attributes",
      "events", "links", "status", "batch", "flags", "traceState");
  private static final Set<String> EVENT_FIELDS = Set.of("name", "atMs", "atUs", "attributes");
  private static final Set<String> LINK_FIELDS = Set.of("traceId", "spanId", "attributes");
  private static final Set<String> SCOPE_FIELDS = Set.of("name", "version", "attributes");
  private static final Set<String> STATUS_FIELDS = Set.of("code", "message");

  private final String source;
  private final long baseEpochNanos;
  private final Map<String, Resource> resources = new HashMap<>();
  private final Map<String, InstrumentationScope> scopes = new HashMap<>();

  private FixtureParser(String source, long baseEpochNanos) {
    this.source = source;
    this.baseEpochNanos = baseEpochNanos;
  }

  static List<FixtureTrace> parse(InputStream in, String source, long baseEpochNanos)
      throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    return new FixtureParser(source, baseEpochNanos).document(root);
  }

  private List<FixtureTrace> document(JsonNode root) {
    String where = source;
    requireObject(root, where);
    checkFields(root, DOCUMENT_FIELDS, where);
    JsonNode res = root.path("resources");
    if (!res.isMissingNode()) {
      requireObject(res, where + " resources");
      for (Map.Entry<String, JsonNode> e : res.properties()) {
        resources.put(e.getKey(),
            Resource.of(attributes(e.getValue(), where + " resources." + e.getKey())));
      }
    }
    JsonNode sc = root.path("scopes");
    if (!sc.isMissingNode()) {
      requireObject(sc, where + " scopes");
      for (Map.Entry<String, JsonNode> e : sc.properties()) {
        scopes.put(e.getKey(), inlineScope(e.getValue(), where + " scopes." + e.getKey()));
      }
    }
    JsonNode traces = root.path("traces");
    if (!traces.isArray()) throw new IllegalArgumentException(where + ": traces must be an array");
    List<FixtureTrace> result = new ArrayList<>();
    for (JsonNode t : traces) result.add(trace(t));
    return result;
  }

  private FixtureTrace trace(JsonNode node) {
    requireObject(node, source + " trace");
    String name = requiredText(node, "name", source + " trace");
    String where = source + " trace " + name;
    checkFields(node, TRACE_FIELDS, where);
    TraceId traceId = traceId(requiredText(node, "traceId", where), where + " traceId");
    long traceStart = baseEpochNanos
        + (node.has("startMs") ? integral(node.get("startMs"), where + " startMs") : 0)
            * NANOS_PER_MS;
    JsonNode spansNode = node.path("spans");
    if (!spansNode.isArray() || spansNode.isEmpty()) {
      throw new IllegalArgumentException(where + ": spans must be a non-empty array");
    }
    List<Span> spans = new ArrayList<>();
    List<Integer> batches = new ArrayList<>();
    for (JsonNode s : spansNode) {
      String spanWhere = where + " span " + s.path("spanId").asText("?") + " " + s.path("name")
          .asText("");
      spans.add(span(s, traceId, traceStart, spanWhere));
      int batch = s.has("batch") ? (int) integral(s.get("batch"), spanWhere + " batch") : 0;
      if (batch < 0) throw new IllegalArgumentException(spanWhere + ": batch is negative");
      batches.add(batch);
    }
    return new FixtureTrace(name, node.path("description").asText(""), traceId, spans, batches);
  }

  private Span span(JsonNode node, TraceId traceId, long traceStart, String where) {
    requireObject(node, where);
    checkFields(node, SPAN_FIELDS, where);
    Span.Builder b = Span.builder()
        .traceId(traceId)
        .spanId(spanId(requiredText(node, "spanId", where), where + " spanId"))
        .name(requiredText(node, "name", where));
    JsonNode parent = node.path("parentSpanId");
    if (!parent.isMissingNode() && !parent.isNull()) {
      b.parentSpanId(spanId(parent.asText(), where + " parentSpanId"));
    }
    b.resource(resource(node.path("resource"), where + " resource"));
    b.scope(scope(node.path("scope"), where + " scope"));
    if (node.has("kind")) {
      SpanKind kind = SpanKind.parse(node.get("kind").asText());
      if (kind == null) {
        throw new IllegalArgumentException(where + ": kind is not a span kind: " + node.get("kind"));
      }
      b.kind(kind);
    }
    long start = traceStart + time(node, "startMs", "startUs", where, true);
    long duration = time(node, "durationMs", "durationUs", where, false);
    if (duration < 0) throw new IllegalArgumentException(where + ": duration is negative");
    b.startEpochNanos(start).endEpochNanos(start + duration);
    if (node.has("attributes")) b.attributes(attributes(node.get("attributes"), where));
    for (JsonNode e : node.path("events")) b.addEvent(event(e, start, where + " event"));
    for (JsonNode l : node.path("links")) b.addLink(link(l, where + " link"));
    if (node.has("status")) b.status(status(node.get("status"), where + " status"));
    if (node.has("flags")) b.flags(node.get("flags").asInt());
    if (node.has("traceState")) b.traceState(node.get("traceState").asText());
    return b.build();
  }

  private SpanEvent event(JsonNode node, long spanStart, String where) {
    requireObject(node, where);
    checkFields(node, EVENT_FIELDS, where);
    long at = spanStart + time(node, "atMs", "atUs", where, true);
    Attributes attributes =
        node.has("attributes") ? attributes(node.get("attributes"), where) : Attributes.EMPTY;
    return SpanEvent.of(at, requiredText(node, "name", where), attributes);
  }

  private SpanLink link(JsonNode node, String where) {
    requireObject(node, where);
    checkFields(node, LINK_FIELDS, where);
    Attributes attributes =
        node.has("attributes") ? attributes(node.get("attributes"), where) : Attributes.EMPTY;
    return SpanLink.of(traceId(requiredText(node, "traceId", where), where + " traceId"),
        spanId(requiredText(node, "spanId", where), where + " spanId"), attributes);
  }

  private Status status(JsonNode node, String where) {
    requireObject(node, where);
    checkFields(node, STATUS_FIELDS, where);
    String code = requiredText(node, "code", where);
    StatusCode statusCode;
    try {
      statusCode = StatusCode.valueOf(code);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": code must be UNSET, OK or ERROR: " + code, e);
    }
    return Status.of(statusCode, node.path("message").asText(""));
  }

  private Resource resource(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) return Resource.EMPTY;
    if (node.isTextual()) {
      Resource r = resources.get(node.asText());
      if (r == null) throw new IllegalArgumentException(where + ": no resource " + node.asText());
      return r;
    }
    return Resource.of(attributes(node, where));
  }

  private InstrumentationScope scope(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) return InstrumentationScope.EMPTY;
    if (node.isTextual()) {
      InstrumentationScope s = scopes.get(node.asText());
      if (s == null) throw new IllegalArgumentException(where + ": no scope " + node.asText());
      return s;
    }
    return inlineScope(node, where);
  }

  private InstrumentationScope inlineScope(JsonNode node, String where) {
    requireObject(node, where);
    checkFields(node, SCOPE_FIELDS, where);
    Attributes attributes =
        node.has("attributes") ? attributes(node.get("attributes"), where) : Attributes.EMPTY;
    return InstrumentationScope.of(
        node.path("name").asText(""), node.path("version").asText(""), attributes);
  }

  private Attributes attributes(JsonNode node, String where) {
    requireObject(node, where + " attributes");
    Attributes.Builder b = Attributes.builder();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      b.put(e.getKey(), value(e.getValue(), where + " attribute " + e.getKey()));
    }
    return b.build();
  }

  private AttributeValue value(JsonNode node, String where) {
    if (node.isTextual()) return AttributeValue.of(node.asText());
    if (node.isBoolean()) return AttributeValue.of(node.booleanValue());
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) throw new IllegalArgumentException(where + ": out of range");
      return AttributeValue.of(node.longValue());
    }
    if (node.isFloatingPointNumber()) return AttributeValue.of(node.doubleValue());
    if (node.isArray()) {
      List<AttributeValue> values = new ArrayList<>();
      for (JsonNode element : node) values.add(value(element, where + "[]"));
      return AttributeValue.ofArray(values);
    }
    if (node.isObject()) {
      if (node.size() == 1 && node.has("$bytes")) {
        try {
          return AttributeValue.ofBytes(Base64.getDecoder().decode(node.get("$bytes").asText()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + ": $bytes is not base64", e);
        }
      }
      return AttributeValue.ofMap(attributes(node, where));
    }
    throw new IllegalArgumentException(where + ": unsupported value " + node);
  }

  private static long time(JsonNode node, String msField, String usField, String where,
      boolean optional) {
    boolean ms = node.has(msField);
    boolean us = node.has(usField);
    if (ms && us) {
      throw new IllegalArgumentException(where + ": give " + msField + " or " + usField + ", not both");
    }
    if (ms) return integral(node.get(msField), where + " " + msField) * NANOS_PER_MS;
    if (us) return integral(node.get(usField), where + " " + usField) * NANOS_PER_US;
    if (optional) return 0;
    throw new IllegalArgumentException(where + ": " + msField + " or " + usField + " is required");
  }

  private static long integral(JsonNode node, String where) {
    if (!node.isIntegralNumber()) throw new IllegalArgumentException(where + " must be an integer");
    return node.longValue();
  }

  private static TraceId traceId(String hex, String where) {
    try {
      return TraceId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static long spanId(String hex, String where) {
    try {
      return SpanId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static String requiredText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(where + ": " + field + " is required (a string)");
    }
    return value.asText();
  }

  private static void requireObject(JsonNode node, String where) {
    if (!node.isObject()) throw new IllegalArgumentException(where + " must be a JSON object");
  }

  private static void checkFields(JsonNode node, Set<String> allowed, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw new IllegalArgumentException(where + ": unknown field " + field);
      }
    }
  }
}
