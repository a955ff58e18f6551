package dev.spanwise.benchmarks.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The read API a query benchmark speaks: request paths and how to count results. */
enum QueryApi {
  /** Jaeger's HTTP JSON API ({@code /api/traces}...), which Spanwise's query port serves. */
  JAEGER("jaeger"),
  /** Zipkin's v2 API ({@code /api/v2/traces}...), for the Zipkin server. */
  ZIPKIN("zipkin");

  final String flag;

  QueryApi(String flag) {
    this.flag = flag;
  }

  static QueryApi fromFlag(String flag) {
    for (QueryApi a : values()) {
      if (a.flag.equalsIgnoreCase(flag)) return a;
    }
    throw new IllegalArgumentException("--api: '" + flag + "' is not one of jaeger, zipkin");
  }

  String traceById(TraceId id) {
    return this == JAEGER ? "/api/traces/" + id.toHex() : "/api/v2/trace/" + id.toHex();
  }

  /** Traces with a span of {@code service} carrying {@code key=value}, at least minDuration long. */
  String search(String service, String key, String value, Duration minDuration, long endEpochMillis,
      Duration lookback, int limit) {
    long startMillis = endEpochMillis - lookback.toMillis();
    if (this == JAEGER) {
      String tags = "{\"" + key + "\":\"" + value + "\"}";
      return "/api/traces?service=" + enc(service) + "&tags=" + enc(tags)
          + "&minDuration=" + minDuration.toMillis() + "ms"
          + "&start=" + startMillis * 1000 + "&end=" + endEpochMillis * 1000 + "&limit=" + limit;
    }
    return "/api/v2/traces?serviceName=" + enc(service) + "&annotationQuery=" + enc(key + "=" + value)
        + "&minDuration=" + minDuration.toNanos() / 1000 + "&endTs=" + endEpochMillis
        + "&lookback=" + lookback.toMillis() + "&limit=" + limit;
  }

  String services() {
    return this == JAEGER ? "/api/services" : "/api/v2/services";
  }

  String operations(String service) {
    return this == JAEGER ? "/api/services/" + enc(service) + "/operations"
        : "/api/v2/spans?serviceName=" + enc(service);
  }

  String dependencies(long endEpochMillis, Duration lookback) {
    return (this == JAEGER ? "/api/dependencies" : "/api/v2/dependencies")
        + "?endTs=" + endEpochMillis + "&lookback=" + lookback.toMillis();
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * How many items (traces, services, edges) a 200 answer holds: Jaeger's {@code data} array or
   * Zipkin's top-level array. Read with a streaming parser that skips the items, so counting a
   * search answer (20 whole traces) makes next to no garbage in the measuring client, whose
   * collections would otherwise land in the next measured calls.
   */
  int count(byte[] body) throws IOException {
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken first = p.nextToken();
      if (this == ZIPKIN) return first == JsonToken.START_ARRAY ? countItems(p) : 0;
      if (first != JsonToken.START_OBJECT) return 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("data")) return value == JsonToken.START_ARRAY ? countItems(p) : 0;
        p.skipChildren();
      }
      return 0;
    }
  }

  /** Counts the items of the array whose start the parser is on, skipping each. */
  private static int countItems(JsonParser p) throws IOException {
    int n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == null) throw new IOException("truncated JSON array");
      p.skipChildren();
      n++;
    }
    return n;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
