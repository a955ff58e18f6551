package dev.spanwise.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spanwise.opentracing.SpanwiseOpenTracer;
import dev.spanwise.tracer.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentracing.contrib.tracerresolver.TracerResolver;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both seed programs produce the expected trace in an OTLP/HTTP receiver. */
class SeedProgramTest {
  private HttpServer receiver;
  private final List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        requests.add(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
      } finally {
        exchange.close();
      }
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort();
  }

  @Test
  void seedThroughTheSpanwiseApi() throws Exception {
    Tracer tracer = Tracer.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint(),
        "OTEL_SERVICE_NAME", "seed"));
    String traceId = new SeedProgram(tracer, Duration.ofMillis(20), Duration.ofMillis(50)).run();
    assertThat(tracer.close(Duration.ofSeconds(10))).isTrue();
    assertSeedTrace(traceId, "seed");
  }

  @Test
  void seedThroughOpenTracingResolvedWithTracerResolver() throws Exception {
    System.setProperty("otel.exporter.otlp.endpoint", endpoint());
    System.setProperty("otel.service.name", "seed-opentracing");
    io.opentracing.Tracer tracer;
    try {
      tracer = TracerResolver.resolveTracer();
    } finally {
      System.clearProperty("otel.exporter.otlp.endpoint");
      System.clearProperty("otel.service.name");
    }
    assertThat(tracer).isInstanceOf(SpanwiseOpenTracer.class);
    String traceId = new SeedOpenTracing(tracer, Duration.ofMillis(20), Duration.ofMillis(50)).run();
    assertThat(((SpanwiseOpenTracer) tracer).unwrap().close(Duration.ofSeconds(10))).isTrue();
    assertSeedTrace(traceId, "seed-opentracing");
  }

  private void assertSeedTrace(String traceId, String service) {
    assertThat(requests).isNotEmpty();
    assertThat(requests.get(0).getResourceSpans(0).getResource().getAttributesList())
        .filteredOn(kv -> kv.getKey().equals("service.name"))
        .extracting(kv -> kv.getValue().getStringValue()).containsExactly(service);
    Map<String, io.opentelemetry.proto.trace.v1.Span> spans = requests.stream()
        .flatMap(r -> r.getResourceSpansList().stream())
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .collect(Collectors.toMap(io.opentelemetry.proto.trace.v1.Span::getName, s -> s));
    assertThat(spans).containsOnlyKeys("user_request", "auth_service", "product_service");
    var root = spans.get("user_request");
    var auth = spans.get("auth_service");
    var product = spans.get("product_service");
    assertThat(hex(root.getTraceId().toByteArray())).isEqualTo(traceId);
    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    for (var child : List.of(auth, product)) {
      assertThat(child.getTraceId()).isEqualTo(root.getTraceId());
      assertThat(child.getParentSpanId()).isEqualTo(root.getSpanId());
    }
    assertThat(auth.getEventsList()).extracting(e -> e.getName()).containsExactly("authenticated");
    assertThat(product.getEventsList()).extracting(e -> e.getName()).containsExactly("product details fetched");
    assertThat(auth.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(product.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(product.getEndTimeUnixNano() - product.getStartTimeUnixNano()).isGreaterThanOrEqualTo(50_000_000L);
    assertThat(root.getAttributesList()).extracting(KeyValue::getKey).isEmpty();
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
