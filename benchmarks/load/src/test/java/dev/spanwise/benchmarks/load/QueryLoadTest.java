package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryLoadTest {

  /** Takes OTLP/HTTP (refusing the first requests) and answers Jaeger's API from what it took. */
  static final class FakeJaeger implements AutoCloseable {
    final Set<String> traceIds = ConcurrentHashMap.newKeySet();
    final CopyOnWriteArrayList<String> queries = new CopyOnWriteArrayList<>();
    final AtomicInteger refusalsLeft = new AtomicInteger(3);
    volatile boolean failSearches;
    final Server server = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
        .service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
          if (refusalsLeft.getAndDecrement() > 0) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                .add("retry-after", "0").build());
          }
          try {
            ExportTraceServiceRequest r = ExportTraceServiceRequest.parseFrom(agg.content().array());
            r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
                ss.getSpansList().forEach(s -> {
                  byte[] id = s.getTraceId().toByteArray();
                  traceIds.add(new TraceId(Bytes.getLong(id, 0), Bytes.getLong(id, 8)).toHex());
                })));
          } catch (Exception e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST);
          }
          return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF, new byte[0]);
        })))
        .serviceUnder("/api/", (ctx, req) -> {
          String path = ctx.path();
          queries.add(path + (ctx.query() == null ? "" : "?" + ctx.query()));
          if (path.startsWith("/api/traces/")) {
            String id = path.substring("/api/traces/".length());
            return traceIds.contains(id)
                ? json("{\"data\":[{\"traceID\":\"" + id + "\",\"spans\":[]}]}")
                : HttpResponse.of(HttpStatus.NOT_FOUND);
          }
          if (path.equals("/api/traces")) {
            return failSearches ? HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR,
                MediaType.PLAIN_TEXT_UTF_8, "search failed") : json("{\"data\":[{},{}]}");
          }
          if (path.equals("/api/dependencies")) return json("{\"data\":[]}");
          return json("{\"data\":[\"a\",\"b\",\"c\"]}");
        })
        .build();

    FakeJaeger() {
      server.start().join();
    }

    String target() {
      return "127.0.0.1:" + server.activeLocalPort();
    }

    private static HttpResponse json(String body) {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
          .contentType(MediaType.JSON_UTF_8).add("server-timing", "db;dur=9, app;dur=1.5").build(),
          HttpData.ofUtf8(body));
    }

    @Override
    public void close() {
      server.stop().join();
    }
  }

  @Test
  void loadsWaitsAndMeasuresEveryQuery(@TempDir Path dir) throws Exception {
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    Files.write(dataDir.resolve("segment"), new byte[3000]);
    Path results = dir.resolve("q.jsonl");
    Path calls = dir.resolve("calls");
    try (FakeJaeger fake = new FakeJaeger()) {
      int code = QueryLoad.run("--ingest", fake.target(), "--query", fake.target(),
          "--load-spans", "3000", "--batch-spans", "250", "--concurrency", "2",
          "--iterations", "20", "--warmup-calls", "3", "--warmup-time", "0s",
          "--data-dir", dataDir.toString(), "--max-backoff", "10ms",
          "--ready-timeout", "20s", "--results", results.toString(),
          "--calls-out", calls.toString());
      assertThat(code).isZero();
      // 3 warm-up and 20 measured calls of each kind, one after the other
      assertThat(fake.queries).filteredOn(q -> q.startsWith("/api/dependencies?")).hasSize(23);
      assertThat(fake.queries).filteredOn(q -> q.equals("/api/services")).hasSize(23);
      assertThat(fake.queries).anyMatch(q -> q.startsWith("/api/traces?service=order&tags=")
          && q.contains("minDuration=100ms") && q.contains("&start=") && q.contains("&limit=20"));
      assertThat(fake.queries).anyMatch(q -> q.startsWith("/api/dependencies?endTs="));
      assertThat(fake.queries).anyMatch(q -> q.equals("/api/services/payment/operations"));
    }
    JsonNode r = new ObjectMapper().readTree(Files.readString(results));
    assertThat(r.get("spans_loaded").asLong()).isEqualTo(3000);
    assertThat(r.get("load_refusals").asLong()).isEqualTo(3);
    assertThat(r.get("disk_bytes_per_span").asDouble()).isEqualTo(1.0);
    JsonNode q = r.get("queries");
    assertThat(q.get("trace_by_id").get("n").asInt()).isEqualTo(20);
    assertThat(q.get("trace_by_id").get("empty").asInt()).isZero();
    assertThat(q.get("trace_by_id").get("errors").asInt()).isZero();
    assertThat(q.get("search").get("mean_items").asDouble()).isEqualTo(2.0);
    assertThat(q.get("services").get("mean_items").asDouble()).isEqualTo(3.0);
    assertThat(q.get("dependencies").get("empty").asInt()).isEqualTo(20);
    assertThat(q.get("services").get("server_p99_ms").asDouble()).isEqualTo(1.5);

    List<String> lines = Files.readAllLines(calls.resolve("trace_by_id.csv"));
    assertThat(lines).hasSize(21).first().isEqualTo("start_epoch_us,client_us,server_us");
    long now = System.currentTimeMillis() * 1000;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertThat(Long.parseLong(f[0])).isBetween(now - 60_000_000, now);
      assertThat(Long.parseLong(f[1])).isPositive();
      assertThat(f[2]).isEqualTo("1500");
    }
    assertThat(Files.readAllLines(calls.resolve("dependencies.csv"))).hasSize(21);
  }

  @Test
  void failedCallsAreCountedAndTheFirstIsReported(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("q.jsonl");
    try (FakeJaeger fake = new FakeJaeger()) {
      fake.failSearches = true;
      int code = QueryLoad.run("--ingest", fake.target(), "--query", fake.target(),
          "--load-spans", "500", "--batch-spans", "250", "--iterations", "5",
          "--warmup-calls", "1", "--warmup-time", "0s", "--max-backoff", "10ms",
          "--ready-timeout", "20s", "--results", results.toString());
      assertThat(code).isZero();
    }
    JsonNode search = new ObjectMapper().readTree(Files.readString(results))
        .get("queries").get("search");
    assertThat(search.get("errors").asInt()).isEqualTo(5);
    assertThat(search.get("n").asInt()).isZero();
    assertThat(search.get("first_error").asText()).startsWith("/api/traces?service=")
        .contains("HTTP 500 search failed");
  }

  @Test
  void serverTimingGivesTheAppDuration() {
    assertThat(QueryLoad.serverTimingNanos("app;dur=0.250")).isEqualTo(250_000);
    assertThat(QueryLoad.serverTimingNanos("db;dur=9, app;dur=12")).isEqualTo(12_000_000);
    assertThat(QueryLoad.serverTimingNanos("db;dur=9")).isEqualTo(-1);
    assertThat(QueryLoad.serverTimingNanos(null)).isEqualTo(-1);
  }

  @Test
  void zipkinApiPaths() {
    long end = 1_764_000_000_000L;
    assertThat(QueryApi.ZIPKIN.search("order", "http.request.method", "POST",
        Duration.ofMillis(100), end, Duration.ofMinutes(15), 20))
        .isEqualTo("/api/v2/traces?serviceName=order&annotationQuery=http.request.method%3DPOST"
            + "&minDuration=100000&endTs=1764000000000&lookback=900000&limit=20");
    assertThat(QueryApi.JAEGER.search("order", "http.request.method", "POST",
        Duration.ofMillis(100), end, Duration.ofMinutes(15), 20))
        .isEqualTo("/api/traces?service=order&tags=%7B%22http.request.method%22%3A%22POST%22%7D"
            + "&minDuration=100ms&start=1763999100000000&end=1764000000000000&limit=20");
    assertThat(QueryApi.ZIPKIN.operations("api-gateway")).isEqualTo("/api/v2/spans?serviceName=api-gateway");
    assertThat(QueryApi.JAEGER.dependencies(end, Duration.ofMinutes(15)))
        .isEqualTo("/api/dependencies?endTs=1764000000000&lookback=900000");
  }

  @Test
  void countsTheItemsOfEachApisAnswerWithoutBuildingATree() throws Exception {
    byte[] jaeger = ("{\"total\":0,\"data\":[{\"traceID\":\"a\",\"spans\":[{\"x\":[1,2]}]},"
        + "{\"traceID\":\"b\"},\"s\"],\"limit\":0,\"errors\":null}").getBytes();
    assertThat(QueryApi.JAEGER.count(jaeger)).isEqualTo(3);
    assertThat(QueryApi.JAEGER.count("{\"data\":null}".getBytes())).isZero();
    assertThat(QueryApi.JAEGER.count("{\"errors\":[{\"code\":400}]}".getBytes())).isZero();
    assertThat(QueryApi.ZIPKIN.count("[[{\"id\":\"1\"}],[],[{}]]".getBytes())).isEqualTo(3);
    assertThat(QueryApi.ZIPKIN.count("{}".getBytes())).isZero();
  }
}
