package dev.spanwise.tracer.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JaegerRemoteSamplerTest {
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicReference<String> query = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/sampling", exchange -> {
      query.set(exchange.getRequestURI().getQuery());
      String b = body.get();
      if (b == null) {
        exchange.sendResponseHeaders(500, -1);
      } else {
        byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private JaegerRemoteSampler sampler() {
    return JaegerRemoteSampler.builder("my service")
        .endpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/sampling")
        .initialSampler(Sampler.alwaysOff()).startPolling(false).build();
  }

  private static SamplingDecision decide(Sampler s, String op, long low) {
    return s.shouldSample(SpanContext.invalid(), 0, low, op, SpanKind.SERVER);
  }

  @Test
  void keepsTheDefaultWhenTheEndpointFails() {
    JaegerRemoteSampler s = sampler();
    assertThat(s.pollOnce()).isFalse();
    assertThat(decide(s, "op", 1)).isEqualTo(SamplingDecision.DROP);
    body.set("{not json");
    assertThat(s.pollOnce()).isFalse();
    assertThat(s.currentDefaultSampler()).isSameAs(Sampler.alwaysOff());
  }

  @Test
  void probabilisticStrategy() {
    JaegerRemoteSampler s = sampler();
    body.set("{\"strategyType\":\"PROBABILISTIC\",\"probabilisticSampling\":{\"samplingRate\":1.0}}");
    assertThat(s.pollOnce()).isTrue();
    assertThat(query.get()).isEqualTo("service=my service");
    assertThat(decide(s, "op", 12345)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void rateLimitingStrategyByNumber() {
    JaegerRemoteSampler s = sampler();
    body.set("{\"strategyType\":1,\"rateLimitingSampling\":{\"maxTracesPerSecond\":2}}");
    assertThat(s.pollOnce()).isTrue();
    assertThat(s.currentDefaultSampler().description()).isEqualTo("RateLimitingSampler{2.0}");
  }

  @Test
  void perOperationStrategies() {
    JaegerRemoteSampler s = sampler();
    body.set("{\"strategyType\":\"PROBABILISTIC\",\"probabilisticSampling\":{\"samplingRate\":0},"
        + "\"operationSampling\":{\"defaultSamplingProbability\":0.0,\"defaultLowerBoundTracesPerSecond\":0,"
        + "\"perOperationStrategies\":[{\"operation\":\"GET /important\","
        + "\"probabilisticSampling\":{\"samplingRate\":1.0}}]}}");
    assertThat(s.pollOnce()).isTrue();
    assertThat(decide(s, "GET /important", 99)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(s, "GET /other", 99)).isEqualTo(SamplingDecision.DROP);
  }

  private static final String RARE_OPERATIONS_STRATEGY = "{\"strategyType\":\"PROBABILISTIC\","
      + "\"operationSampling\":{\"defaultSamplingProbability\":0.0,"
      + "\"defaultLowerBoundTracesPerSecond\":0.0016666666666666668,"
      + "\"perOperationStrategies\":[{\"operation\":\"GET /hot\","
      + "\"probabilisticSampling\":{\"samplingRate\":0.0}}]}}";

  @Test
  void lowerBoundSamplesARareOperationDespiteAZeroProbability() {
    JaegerRemoteSampler s = sampler();
    body.set(RARE_OPERATIONS_STRATEGY);
    assertThat(s.pollOnce()).isTrue();
    // probability 0 everywhere, but each operation gets its one trace per 10 minutes
    assertThat(decide(s, "GET /hot", 99)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(s, "GET /hot", 99)).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(s, "GET /rare", 99)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(s, "GET /rare", 99)).isEqualTo(SamplingDecision.DROP);
    assertThat(s.currentSampler("GET /rare").description())
        .isEqualTo("LowerBoundedRatioSampler{0.0, lowerBound=0.0016666666666666668/s}");
  }

  @Test
  void aRefreshWithTheSameStrategyKeepsEachOperationsLowerBoundCredit() {
    JaegerRemoteSampler s = sampler();
    body.set(RARE_OPERATIONS_STRATEGY);
    assertThat(s.pollOnce()).isTrue();
    assertThat(decide(s, "GET /hot", 99)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(s.pollOnce()).isTrue();
    assertThat(decide(s, "GET /hot", 99)).isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void operationsBeyondTheLimitShareTheDefaultSampler() {
    JaegerRemoteSampler s = sampler();
    body.set(RARE_OPERATIONS_STRATEGY);
    assertThat(s.pollOnce()).isTrue();
    for (int i = 0; i < JaegerRemoteSampler.MAX_OPERATIONS; i++) {
      assertThat(s.currentSampler("op-" + i)).isInstanceOf(LowerBoundedRatioSampler.class);
    }
    assertThat(s.currentSampler("one too many")).isSameAs(s.currentDefaultSampler());
    assertThat(s.currentSampler("op-7")).isInstanceOf(LowerBoundedRatioSampler.class);
  }
}
