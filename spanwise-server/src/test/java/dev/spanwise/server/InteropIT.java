package dev.spanwise.server;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Clients no one here wrote (the OpenTelemetry SDK over OTLP/gRPC and OTLP/HTTP, Brave over
 * Zipkin's HTTP API) send to the packaged server; the traces read back through the Jaeger and the
 * Zipkin APIs with the right tree, attributes, events, status, resource and kinds.
 */
class InteropIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = new ServerProcess(tmp.resolve("data")).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) server.assertStopsCleanly();
  }

  @Test
  void openTelemetrySdkOverOtlpGrpc() throws Exception {
    SpanExporter exporter = OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort).build();
    checkOpenTelemetryTrace(exporter, "otel-grpc-shop");
  }

  @Test
  void openTelemetrySdkOverOtlpHttpProtobuf() throws Exception {
    SpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort + "/v1/traces").build();
    checkOpenTelemetryTrace(exporter, "otel-http-shop");
  }

  private void checkOpenTelemetryTrace(SpanExporter exporter, String service) throws Exception {
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), service,
            AttributeKey.stringKey("deployment.environment"), "it"))))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
    Tracer tracer = provider.get("dev.spanwise.it", "1.0");
    String traceId;
    Span root = tracer.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = root.makeCurrent()) {
      traceId = root.getSpanContext().getTraceId();
      root.setAttribute("http.request.method", "GET");
      root.setAttribute("http.response.status_code", 500L);
      Span child = tracer.spanBuilder("charge card").setSpanKind(SpanKind.CLIENT).startSpan();
      child.setAttribute("payment.amount", 12.5);
      child.setAttribute("retry", true);
      child.addEvent("card declined", Attributes.of(AttributeKey.stringKey("reason"), "expired"));
      child.setStatus(StatusCode.ERROR, "payment failed");
      child.end();
    } finally {
      root.end();
    }
    CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
    assertThat(flushed.isSuccess()).as("export acknowledged").isTrue();
    provider.close();

    // Jaeger API
    JsonNode trace = awaitJaegerTrace(traceId, 2);
    Map<String, JsonNode> spans = byOperation(trace.path("spans"), "operationName");
    JsonNode rootSpan = spans.get("GET /checkout");
    JsonNode childSpan = spans.get("charge card");
    assertThat(rootSpan.path("references")).isEmpty();
    assertThat(childSpan.path("references").get(0).path("refType").asText()).isEqualTo("CHILD_OF");
    assertThat(childSpan.path("references").get(0).path("spanID").asText())
        .isEqualTo(rootSpan.path("spanID").asText());
    assertThat(tag(rootSpan, "span.kind")).isEqualTo("server");
    assertThat(tag(childSpan, "span.kind")).isEqualTo("client");
    assertThat(tag(rootSpan, "http.request.method")).isEqualTo("GET");
    assertThat(tag(rootSpan, "http.response.status_code")).isEqualTo("500");
    assertThat(tag(childSpan, "payment.amount")).isEqualTo("12.5");
    assertThat(tag(childSpan, "retry")).isEqualTo("true");
    assertThat(tag(childSpan, "error")).isEqualTo("true");
    assertThat(tag(childSpan, "otel.status_description")).isEqualTo("payment failed");
    JsonNode log = childSpan.path("logs").get(0);
    assertThat(fields(log.path("fields")).get("event")).isEqualTo("card declined");
    assertThat(fields(log.path("fields")).get("reason")).isEqualTo("expired");
    JsonNode process = trace.path("processes").path(childSpan.path("processID").asText());
    assertThat(process.path("serviceName").asText()).isEqualTo(service);
    assertThat(fields(process.path("tags")).get("deployment.environment")).isEqualTo("it");
    assertThat(childSpan.path("startTime").asLong())
        .isGreaterThanOrEqualTo(rootSpan.path("startTime").asLong());

    // Zipkin API
    HttpResponse<String> z = ServerProcess.get(server.zipkinPort, "/api/v2/trace/" + traceId);
    assertThat(z.statusCode()).as(z.body()).isEqualTo(200);
    Map<String, JsonNode> zspans = byOperation(JSON.readTree(z.body()), "name");
    JsonNode zroot = zspans.get("get /checkout") != null
        ? zspans.get("get /checkout") : zspans.get("GET /checkout");
    JsonNode zchild = zspans.get("charge card");
    assertThat(zroot.path("kind").asText()).isEqualTo("SERVER");
    assertThat(zchild.path("kind").asText()).isEqualTo("CLIENT");
    assertThat(zchild.path("parentId").asText()).isEqualTo(zroot.path("id").asText());
    assertThat(zchild.path("localEndpoint").path("serviceName").asText()).isEqualTo(service);
    assertThat(zchild.path("tags").path("error").asText()).isEqualTo("payment failed");
    assertThat(zchild.path("annotations").get(0).path("value").asText()).contains("card declined");
  }

  @Test
  void braveOverZipkinHttp() throws Exception {
    URLConnectionSender sender = URLConnectionSender.create(
        "http://127.0.0.1:" + server.zipkinPort + "/api/v2/spans");
    AsyncZipkinSpanHandler handler = AsyncZipkinSpanHandler.create(sender);
    Tracing tracing = Tracing.newBuilder().localServiceName("brave-frontend")
        .traceId128Bit(true).addSpanHandler(handler).build();
    String traceId;
    brave.Span root = tracing.tracer().newTrace().name("get /cart").kind(brave.Span.Kind.SERVER)
        .start();
    traceId = root.context().traceIdString();
    brave.Span child = tracing.tracer().newChild(root.context()).name("select cart")
        .kind(brave.Span.Kind.CLIENT).remoteServiceName("cartdb").start();
    child.tag("db.statement", "SELECT * FROM cart");
    child.annotate("query planned");
    child.error(new IllegalStateException("deadlock"));
    child.finish();
    root.tag("http.path", "/cart");
    root.finish();
    handler.flush();
    handler.close();
    tracing.close();
    sender.close();

    JsonNode trace = awaitJaegerTrace(traceId, 2);
    Map<String, JsonNode> spans = byOperation(trace.path("spans"), "operationName");
    JsonNode rootSpan = spans.get("get /cart");
    JsonNode childSpan = spans.get("select cart");
    assertThat(childSpan.path("references").get(0).path("spanID").asText())
        .isEqualTo(rootSpan.path("spanID").asText());
    assertThat(tag(childSpan, "db.statement")).isEqualTo("SELECT * FROM cart");
    assertThat(tag(childSpan, "span.kind")).isEqualTo("client");
    assertThat(tag(childSpan, "error")).isEqualTo("true");
    assertThat(tag(rootSpan, "http.path")).isEqualTo("/cart");
    assertThat(trace.path("processes").path(rootSpan.path("processID").asText())
        .path("serviceName").asText()).isEqualTo("brave-frontend");

    HttpResponse<String> z = ServerProcess.get(server.zipkinPort, "/api/v2/trace/" + traceId);
    assertThat(z.statusCode()).isEqualTo(200);
    Map<String, JsonNode> zspans = byOperation(JSON.readTree(z.body()), "name");
    assertThat(zspans.get("select cart").path("remoteEndpoint").path("serviceName").asText())
        .isEqualTo("cartdb");
    assertThat(zspans.get("select cart").path("annotations").get(0).path("value").asText())
        .isEqualTo("query planned");
    assertThat(zspans.get("select cart").path("tags").path("error").asText()).contains("deadlock");

    // And the services and dependency endpoints see them.
    JsonNode services = JSON.readTree(ServerProcess.get(server.queryPort, "/api/services").body());
    assertThat(services.path("data").toString()).contains("brave-frontend");
    JsonNode zservices = JSON.readTree(ServerProcess.get(server.zipkinPort, "/api/v2/services")
        .body());
    assertThat(zservices.toString()).contains("brave-frontend");
  }

  static JsonNode awaitJaegerTrace(String traceId, int spans) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    HttpResponse<String> r = null;
    while (System.nanoTime() < deadline) {
      r = ServerProcess.get(server.queryPort, "/api/traces/" + traceId);
      if (r.statusCode() == 200) {
        JsonNode trace = JSON.readTree(r.body()).path("data").get(0);
        if (trace != null && trace.path("spans").size() >= spans) return trace;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("trace " + traceId + " not found: " + (r == null ? "" : r.body()));
  }

  static Map<String, JsonNode> byOperation(JsonNode spans, String field) {
    Map<String, JsonNode> map = new HashMap<>();
    for (JsonNode s : spans) map.put(s.path(field).asText(), s);
    return map;
  }

  static String tag(JsonNode span, String key) {
    return fields(span.path("tags")).get(key);
  }

  static Map<String, String> fields(JsonNode keyValues) {
    Map<String, String> map = new HashMap<>();
    for (JsonNode kv : keyValues) map.put(kv.path("key").asText(), kv.path("value").asText());
    return map;
  }
}
