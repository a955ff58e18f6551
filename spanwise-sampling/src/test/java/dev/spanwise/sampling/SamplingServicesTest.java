package dev.spanwise.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClientStubFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.spanwise.codec.jaeger.proto.Sampling.SamplingStrategyParameters;
import dev.spanwise.codec.jaeger.proto.Sampling.SamplingStrategyResponse;
import dev.spanwise.sampling.internal.SamplingMetrics;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP, gRPC and query endpoints on an in-process Armeria server (127.0.0.1, port 0). */
class SamplingServicesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  SamplingStrategies strategies;
  Server server;
  WebClient client;

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("strategies.json");
    try (InputStream in = getClass().getResourceAsStream("/http-test-strategies.json")) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    strategies = SamplingStrategies.builder()
        .strategiesFile(file)
        .meterRegistry(registry)
        .build();
    ServerBuilder sb = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .gracefulShutdownTimeoutMillis(0, 0);
    strategies.httpService().configure(sb);
    strategies.grpcService().configure(sb);
    strategies.queryApi().configure(sb);
    server = sb.build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  @AfterEach
  void stop() {
    // not joined: Netty idles the boss event loop for a 2 s quiet period before it terminates
    server.stop();
    strategies.close();
  }

  AggregatedHttpResponse get(String path) {
    return client.get(path).aggregate().join();
  }

  double requests(String protocol, String outcome) {
    var counter = registry.find(SamplingMetrics.REQUESTS)
        .tag("protocol", protocol).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void samplingEndpointAnswersJaegersProtoJson() {
    AggregatedHttpResponse res = get("/sampling?service=bar");
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(res.contentType().isJson()).isTrue();
    assertThat(res.contentUtf8()).isEqualTo(
        "{\"strategyType\":\"RATE_LIMITING\",\"rateLimitingSampling\":{\"maxTracesPerSecond\":5}}");
    assertThat(get("/sampling?service=foo").contentUtf8()).isEqualTo(
        "{\"strategyType\":\"PROBABILISTIC\",\"probabilisticSampling\":{\"samplingRate\":0.8},"
            + "\"operationSampling\":{\"defaultSamplingProbability\":0.8,"
            + "\"defaultLowerBoundTracesPerSecond\":0,\"perOperationStrategies\":[{\"operation\":"
            + "\"op1\",\"probabilisticSampling\":{\"samplingRate\":0.2}}],"
            + "\"defaultUpperBoundTracesPerSecond\":0}}");
    assertThat(get("/sampling?service=unknown&other=1").contentUtf8()).isEqualTo(
        "{\"strategyType\":\"PROBABILISTIC\",\"probabilisticSampling\":{\"samplingRate\":0.5}}");
    assertThat(requests("http", "ok")).isEqualTo(3);
  }

  @Test
  void rootEndpointAnswersTheLegacyThriftJson() {
    assertThat(get("/?service=bar").contentUtf8())
        .isEqualTo("{\"strategyType\":1,\"rateLimitingSampling\":{\"maxTracesPerSecond\":5}}");
    assertThat(get("/?service=a%20b").contentUtf8())
        .isEqualTo("{\"strategyType\":0,\"probabilisticSampling\":{\"samplingRate\":0.5}}");
    assertThat(requests("http_legacy", "ok")).isEqualTo(2);
  }

  @Test
  void serviceMustBeGivenExactlyOnce() {
    for (String path : List.of("/sampling", "/sampling?service=a&service=b", "/",
        "/?service=a&service=a", "/sampling?svc=a")) {
      AggregatedHttpResponse res = get(path);
      assertThat(res.status()).as(path).isEqualTo(HttpStatus.BAD_REQUEST);
      assertThat(res.contentUtf8()).as(path)
          .isEqualTo("'service' parameter must be provided once\n");
    }
    assertThat(requests("http", "invalid")).isEqualTo(3);
    assertThat(requests("http_legacy", "invalid")).isEqualTo(2);
  }

  @Test
  void otherMethodsAre405() {
    for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
      AggregatedHttpResponse res =
          client.execute(com.linecorp.armeria.common.HttpRequest.of(method, "/sampling?service=a"))
              .aggregate().join();
      assertThat(res.status()).as(method.name()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
      assertThat(res.headers().get("allow")).isEqualTo("GET, HEAD");
    }
    AggregatedHttpResponse query = client.post(SamplingQueryApi.PATH, "").aggregate().join();
    assertThat(query.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    assertThat(requests("http", "method_not_allowed")).isEqualTo(3);
  }

  static final MethodDescriptor<SamplingStrategyParameters, SamplingStrategyResponse> GET_STRATEGY =
      MethodDescriptor.<SamplingStrategyParameters, SamplingStrategyResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("jaeger.api_v2.SamplingManager/GetSamplingStrategy")
          .setRequestMarshaller(
              ProtoUtils.marshaller(SamplingStrategyParameters.getDefaultInstance()))
          .setResponseMarshaller(
              ProtoUtils.marshaller(SamplingStrategyResponse.getDefaultInstance()))
          .build();

  SamplingStrategyResponse call(String service) {
    // no generated stub here: the client "stub" is the channel itself
    io.grpc.ServiceDescriptor descriptor =
        io.grpc.ServiceDescriptor.newBuilder(SamplingGrpcService.SERVICE_NAME)
            .addMethod(GET_STRATEGY)
            .build();
    Channel channel = GrpcClients.builder("http://127.0.0.1:" + server.activeLocalPort())
        .clientStubFactory(new GrpcClientStubFactory() {
          @Override
          public io.grpc.ServiceDescriptor findServiceDescriptor(Class<?> clientType) {
            return clientType == Channel.class ? descriptor : null;
          }

          @Override
          public Object newClientStub(Class<?> clientType, Channel ch) {
            return ch;
          }
        })
        .build(Channel.class);
    return ClientCalls.blockingUnaryCall(channel, GET_STRATEGY, CallOptions.DEFAULT,
        SamplingStrategyParameters.newBuilder().setServiceName(service).build());
  }

  @Test
  void grpcAnswersTheProtoMessage() {
    SamplingStrategyResponse foo = call("foo");
    assertThat(foo.getStrategyTypeValue()).isZero();
    assertThat(foo.getProbabilisticSampling().getSamplingRate()).isEqualTo(0.8);
    assertThat(foo.getOperationSampling().getPerOperationStrategiesList())
        .singleElement()
        .satisfies(op -> {
          assertThat(op.getOperation()).isEqualTo("op1");
          assertThat(op.getProbabilisticSampling().getSamplingRate()).isEqualTo(0.2);
        });
    SamplingStrategyResponse bar = call("bar");
    assertThat(bar.getStrategyTypeValue()).isEqualTo(1);
    assertThat(bar.getRateLimitingSampling().getMaxTracesPerSecond()).isEqualTo(5);
    assertThat(requests("grpc", "ok")).isEqualTo(2);
  }

  @Test
  void grpcRefusesAnEmptyServiceName() {
    assertThatThrownBy(() -> call(""))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("serviceName");
        });
    assertThat(requests("grpc", "invalid")).isEqualTo(1);
  }

  @Test
  void queryApiListsEveryServiceWithItsSource() throws Exception {
    AggregatedHttpResponse res = get(SamplingQueryApi.PATH);
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    JsonNode body = JSON.readTree(res.contentUtf8());
    assertThat(body.get("mode").asText()).isEqualTo("file");
    assertThat(body.get("default").get("probabilisticSampling").get("samplingRate").asDouble())
        .isEqualTo(0.5);
    JsonNode services = body.get("services");
    assertThat(services).hasSize(2);
    assertThat(services.get(0).get("service").asText()).isEqualTo("bar");
    assertThat(services.get(0).get("source").asText()).isEqualTo("file");
    assertThat(services.get(0).get("strategy").get("strategyType").asText())
        .isEqualTo("RATE_LIMITING");
    assertThat(services.get(1).get("service").asText()).isEqualTo("foo");

    JsonNode unknown = JSON.readTree(get(SamplingQueryApi.PATH + "/nobody").contentUtf8());
    assertThat(unknown.get("source").asText()).isEqualTo("default");
    assertThat(unknown.get("strategy").get("probabilisticSampling").get("samplingRate").asDouble())
        .isEqualTo(0.5);
  }

  @Test
  void queryApiShowsAdaptiveProbabilitiesAndRates() throws Exception {
    FakeClock clock = new FakeClock();
    try (SamplingStrategies adaptive = SamplingStrategies.builder().clock(clock).build()) {
      ServerBuilder sb = Server.builder()
          .http(new InetSocketAddress("127.0.0.1", 0))
          .gracefulShutdownTimeoutMillis(0, 0);
      adaptive.queryApi().configure(sb);
      Server other = sb.build();
      other.start().join();
      try {
        adaptive.observe(List.of(TestSpans.root("shop", "GET /", "probabilistic", 0.001)));
        clock.advance(java.time.Duration.ofMinutes(1));
        adaptive.recomputeNow();
        WebClient c = WebClient.of("http://127.0.0.1:" + other.activeLocalPort());
        JsonNode body = JSON.readTree(
            c.get(SamplingQueryApi.PATH + "/shop").aggregate().join().contentUtf8());
        assertThat(body.get("source").asText()).isEqualTo("adaptive");
        JsonNode op = body.get("operations").get(0);
        assertThat(op.get("operation").asText()).isEqualTo("GET /");
        assertThat(op.get("probability").asDouble()).isEqualTo(0.0015); // raised by the cap
        assertThat(op.get("estimatedTracesPerSecond").asDouble())
            .isCloseTo(1000.0 / 60, org.assertj.core.api.Assertions.within(1e-9));
        JsonNode all = JSON.readTree(c.get(SamplingQueryApi.PATH).aggregate().join().contentUtf8());
        assertThat(all.get("mode").asText()).isEqualTo("adaptive");
        assertThat(all.get("adaptive").get("targetTracesPerSecond").asDouble()).isEqualTo(1);
        assertThat(all.get("services").get(0).get("service").asText()).isEqualTo("shop");
      } finally {
        other.stop();
      }
    }
  }
}
