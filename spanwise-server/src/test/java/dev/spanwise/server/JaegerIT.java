package dev.spanwise.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.linecorp.armeria.client.grpc.GrpcClientStubFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.spanwise.codec.jaeger.proto.Collector.PostSpansRequest;
import dev.spanwise.codec.jaeger.proto.Collector.PostSpansResponse;
import dev.spanwise.codec.jaeger.proto.Model;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.jaegertracing.Configuration;
import io.jaegertracing.internal.JaegerSpan;
import io.jaegertracing.internal.JaegerTracer;
import io.jaegertracing.internal.LogData;
import io.opentracing.References;
import io.opentracing.tag.Tags;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified Jaeger Java client, configured only through {@code Configuration.fromEnv()}
 * (which reads each {@code JAEGER_*} setting from a system property, else the environment), sends
 * the seed program's trace to the packaged server over Thrift HTTP and over UDP; the trace reads
 * back through the Jaeger and Zipkin APIs. Plus a round trip of tags, logs and references, and
 * PostSpans through a real gRPC client.
 */
class JaegerIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> SETTINGS = List.of("JAEGER_SERVICE_NAME", "JAEGER_ENDPOINT",
      "JAEGER_SAMPLER_TYPE", "JAEGER_SAMPLER_PARAM", "JAEGER_AGENT_HOST", "JAEGER_AGENT_PORT",
      "JAEGER_TAGS");
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

  @AfterEach
  void clearSettings() {
    for (String setting : SETTINGS) System.clearProperty(setting);
  }

  /** The environment a user would export, as system properties (which fromEnv() reads first). */
  static JaegerTracer tracerFromEnv(String service, Map<String, String> transport) {
    System.setProperty("JAEGER_SERVICE_NAME", service);
    System.setProperty("JAEGER_SAMPLER_TYPE", "const");
    System.setProperty("JAEGER_SAMPLER_PARAM", "1");
    transport.forEach(System::setProperty);
    return Configuration.fromEnv().getTracer();
  }

  /** The seed program: root user_request, children auth_service and product_service. */
  static String runSeedProgram(JaegerTracer tracer) {
    io.opentracing.Span root = tracer.buildSpan("user_request")
        .withTag(Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_SERVER).start();
    io.opentracing.Span auth = tracer.buildSpan("auth_service").asChildOf(root).start();
    auth.log(Map.of("event", "authenticated"));
    auth.finish();
    io.opentracing.Span product = tracer.buildSpan("product_service").asChildOf(root).start();
    Tags.ERROR.set(product, true);
    product.log(Map.of("event", "product details fetched"));
    product.finish();
    root.finish();
    String traceId = root.context().toTraceId();
    tracer.close(); // flushes the reporter
    return traceId;
  }

  @Test
  void seedProgramOverThriftHttp() throws Exception {
    JaegerTracer tracer = tracerFromEnv("seed-http", Map.of("JAEGER_ENDPOINT",
        "http://127.0.0.1:" + server.jaegerThriftHttpPort + "/api/traces"));
    checkSeedTrace(runSeedProgram(tracer), "seed-http");
  }

  @Test
  void seedProgramOverUdp() throws Exception {
    JaegerTracer tracer = tracerFromEnv("seed-udp", Map.of(
        "JAEGER_AGENT_HOST", "127.0.0.1",
        "JAEGER_AGENT_PORT", Integer.toString(server.jaegerCompactPort)));
    checkSeedTrace(runSeedProgram(tracer), "seed-udp");
    String accepted = "spanwise_udp_packets_total{port=\"" + server.jaegerCompactPort
        + "\",protocol=\"jaeger_thrift_compact\",result=\"accepted\"}";
    String metrics = "";
    for (int i = 0; i < 100 && !metrics.contains(accepted); i++) {
      if (i > 0) Thread.sleep(100);
      metrics = ServerProcess.get(server.queryPort, "/metrics").body();
    }
    assertThat(metrics).contains(accepted);
  }

  private void checkSeedTrace(String traceId, String service) throws Exception {
    // Jaeger API: tree, error flag, events, process
    JsonNode trace = awaitJaegerTrace(traceId, 3);
    Map<String, JsonNode> spans = byField(trace.path("spans"), "operationName");
    JsonNode root = spans.get("user_request");
    JsonNode auth = spans.get("auth_service");
    JsonNode product = spans.get("product_service");
    assertThat(root.path("references")).isEmpty();
    for (JsonNode child : List.of(auth, product)) {
      assertThat(child.path("references")).hasSize(1);
      assertThat(child.path("references").get(0).path("refType").asText()).isEqualTo("CHILD_OF");
      assertThat(child.path("references").get(0).path("spanID").asText())
          .isEqualTo(root.path("spanID").asText());
    }
    assertThat(tags(root).get("span.kind")).isEqualTo("server");
    assertThat(tags(product).get("error")).isEqualTo("true");
    assertThat(tags(auth)).doesNotContainKey("error");
    assertThat(fields(auth.path("logs").get(0).path("fields")).get("event"))
        .isEqualTo("authenticated");
    assertThat(fields(product.path("logs").get(0).path("fields")).get("event"))
        .isEqualTo("product details fetched");
    JsonNode process = trace.path("processes").path(root.path("processID").asText());
    assertThat(process.path("serviceName").asText()).isEqualTo(service);
    assertThat(fields(process.path("tags")).get("jaeger.version")).startsWith("Java-");
    assertThat(tags(root).get("sampler.type")).isEqualTo("const");

    // Zipkin API: same tree, error tag, annotations
    HttpResponse<String> z = ServerProcess.get(server.zipkinPort, "/api/v2/trace/" + traceId);
    assertThat(z.statusCode()).as(z.body()).isEqualTo(200);
    Map<String, JsonNode> zspans = byField(JSON.readTree(z.body()), "name");
    JsonNode zroot = zspans.get("user_request");
    JsonNode zauth = zspans.get("auth_service");
    JsonNode zproduct = zspans.get("product_service");
    assertThat(zroot.has("parentId")).isFalse();
    assertThat(zauth.path("parentId").asText()).isEqualTo(zroot.path("id").asText());
    assertThat(zproduct.path("parentId").asText()).isEqualTo(zroot.path("id").asText());
    assertThat(zproduct.path("tags").has("error")).isTrue();
    assertThat(zauth.path("tags").has("error")).isFalse();
    assertThat(zproduct.path("annotations").get(0).path("value").asText())
        .contains("product details fetched");
    assertThat(zauth.path("annotations").get(0).path("value").asText()).contains("authenticated");
    assertThat(zroot.path("localEndpoint").path("serviceName").asText()).isEqualTo(service);
  }

  @Test
  void tagsLogsAndReferencesComeBackAsSent() throws Exception {
    JaegerTracer tracer = tracerFromEnv("round-trip", Map.of("JAEGER_ENDPOINT",
        "http://127.0.0.1:" + server.jaegerThriftHttpPort + "/api/traces"));
    JaegerSpan root = tracer.buildSpan("batch").start();
    JaegerSpan first = tracer.buildSpan("read").asChildOf(root).start();
    first.finish();
    JaegerSpan second = tracer.buildSpan("write").asChildOf(root)
        .addReference(References.FOLLOWS_FROM, first.context())
        .withTag("s", "text").withTag("b", true).withTag("n", 42).withTag("d", 0.25)
        .withTag(Tags.SPAN_KIND.getKey(), Tags.SPAN_KIND_PRODUCER)
        .start();
    second.log(Map.of("event", "flushed", "rows", 7, "table", "orders"));
    second.log(Map.of("message", "no event field", "ok", false));
    second.finish();
    root.finish();
    String traceId = root.context().toTraceId();
    Map<String, String> sentTags = new HashMap<>();
    second.getTags().forEach((k, v) -> sentTags.put(k, String.valueOf(v)));
    List<LogData> sentLogs = second.getLogs();
    tracer.close();

    JsonNode trace = awaitJaegerTrace(traceId, 3);
    Map<String, JsonNode> spans = byField(trace.path("spans"), "operationName");
    JsonNode write = spans.get("write");
    assertThat(tags(write)).isEqualTo(sentTags);
    Map<String, String> types = new HashMap<>();
    for (JsonNode tag : write.path("tags")) types.put(tag.path("key").asText(),
        tag.path("type").asText());
    assertThat(types).containsEntry("s", "string").containsEntry("b", "bool")
        .containsEntry("n", "int64").containsEntry("d", "float64");

    assertThat(write.path("logs")).hasSize(sentLogs.size());
    for (int i = 0; i < sentLogs.size(); i++) {
      Map<String, String> sentFields = new HashMap<>();
      sentLogs.get(i).getFields().forEach((k, v) -> sentFields.put(k, String.valueOf(v)));
      JsonNode log = write.path("logs").get(i);
      assertThat(fields(log.path("fields"))).isEqualTo(sentFields);
      assertThat(log.path("timestamp").asLong()).isEqualTo(sentLogs.get(i).getTime());
    }

    Set<String> references = new HashSet<>();
    for (JsonNode ref : write.path("references")) {
      references.add(ref.path("refType").asText() + " " + ref.path("spanID").asText());
    }
    assertThat(references).containsExactlyInAnyOrder(
        "CHILD_OF " + spans.get("batch").path("spanID").asText(),
        "FOLLOWS_FROM " + spans.get("read").path("spanID").asText());
    assertThat(write.path("startTime").asLong()).isEqualTo(second.getStart());
    assertThat(write.path("duration").asLong()).isEqualTo(second.getDuration());
  }

  static final MethodDescriptor<PostSpansRequest, PostSpansResponse> POST_SPANS =
      MethodDescriptor.<PostSpansRequest, PostSpansResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("jaeger.api_v2.CollectorService/PostSpans")
          .setRequestMarshaller(ProtoUtils.marshaller(PostSpansRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(PostSpansResponse.getDefaultInstance()))
          .build();

  @Test
  void postSpansOverGrpc() throws Exception {
    Channel channel = GrpcClients.builder("http://127.0.0.1:" + server.jaegerGrpcPort)
        .responseTimeoutMillis(30_000)
        .clientStubFactory(new GrpcClientStubFactory() {
          @Override
          public ServiceDescriptor findServiceDescriptor(Class<?> clientType) {
            return ServiceDescriptor.newBuilder("jaeger.api_v2.CollectorService")
                .addMethod(POST_SPANS).build();
          }

          @Override
          public Object newClientStub(Class<?> clientType, Channel ch) {
            return ch;
          }
        })
        .build(Channel.class);
    byte[] traceId = {0x4b, 0x1f, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    long now = System.currentTimeMillis() / 1000;
    Model.Span parent = Model.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))
        .setOperationName("checkout")
        .setStartTime(Timestamp.newBuilder().setSeconds(now))
        .setDuration(com.google.protobuf.Duration.newBuilder().setNanos(3_000_000))
        .build();
    Model.Span child = parent.toBuilder()
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 2}))
        .setOperationName("charge")
        .addReferences(Model.SpanRef.newBuilder().setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(parent.getSpanId()).setRefType(Model.SpanRefType.CHILD_OF))
        .addTags(Model.KeyValue.newBuilder().setKey("span.kind").setVStr("client"))
        .setProcess(Model.Process.newBuilder().setServiceName("payments"))
        .build();
    PostSpansRequest request = PostSpansRequest.newBuilder()
        .setBatch(Model.Batch.newBuilder().addSpans(parent).addSpans(child)
            .setProcess(Model.Process.newBuilder().setServiceName("shop")))
        .build();

    PostSpansResponse response =
        ClientCalls.blockingUnaryCall(channel, POST_SPANS, CallOptions.DEFAULT, request);
    assertThat(response).isEqualTo(PostSpansResponse.getDefaultInstance());

    JsonNode trace = awaitJaegerTrace("4b1f030405060708090a0b0c0d0e0f10", 2);
    Map<String, JsonNode> spans = byField(trace.path("spans"), "operationName");
    JsonNode charge = spans.get("charge");
    assertThat(charge.path("references").get(0).path("spanID").asText())
        .isEqualTo("0000000000000001");
    assertThat(tags(charge).get("span.kind")).isEqualTo("client");
    assertThat(trace.path("processes").path(charge.path("processID").asText())
        .path("serviceName").asText()).isEqualTo("payments");
    assertThat(trace.path("processes").path(spans.get("checkout").path("processID").asText())
        .path("serviceName").asText()).isEqualTo("shop");
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

  static Map<String, JsonNode> byField(JsonNode spans, String field) {
    Map<String, JsonNode> map = new HashMap<>();
    for (JsonNode s : spans) map.put(s.path(field).asText(), s);
    return map;
  }

  static Map<String, String> tags(JsonNode span) {
    return fields(span.path("tags"));
  }

  static Map<String, String> fields(JsonNode keyValues) {
    Map<String, String> map = new HashMap<>();
    for (JsonNode kv : keyValues) map.put(kv.path("key").asText(), kv.path("value").asText());
    return map;
  }
}
