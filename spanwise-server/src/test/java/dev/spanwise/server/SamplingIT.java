package dev.spanwise.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jaegertracing.Configuration;
import io.jaegertracing.internal.JaegerSpan;
import io.jaegertracing.internal.JaegerTracer;
import io.jaegertracing.internal.reporters.InMemoryReporter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote sampling as the packaged server serves it on its own ports: strategies from a file
 * (reloaded when it changes) to the unmodified Jaeger client, and adaptive strategies computed
 * from the spans the server stores, kept across a restart.
 */
class SamplingIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static String strategies(double checkoutRate) {
    return "{\"default_strategy\":{\"type\":\"probabilistic\",\"param\":0.5},"
        + "\"service_strategies\":[{\"service\":\"checkout\",\"type\":\"probabilistic\","
        + "\"param\":" + checkoutRate + "}]}";
  }

  @Test
  void strategiesFromAFileReachTheJaegerClientAndFollowTheFile() throws Exception {
    Path file = tmp.resolve("strategies.json");
    Files.writeString(file, strategies(0.25));
    ServerProcess server = new ServerProcess(tmp.resolve("data")).start(
        "--sampling-strategies-file", file.toString(),
        "--sampling-strategies-reload-interval", "1s");
    try {
      JsonNode checkout = JSON.readTree(
          ServerProcess.get(server.samplingHttpPort, "/sampling?service=checkout").body());
      assertThat(checkout.path("strategyType").asText()).isEqualTo("PROBABILISTIC");
      assertThat(checkout.path("probabilisticSampling").path("samplingRate").asDouble())
          .isEqualTo(0.25);
      JsonNode other = JSON.readTree(
          ServerProcess.get(server.samplingHttpPort, "/?service=cart").body());
      assertThat(other.path("probabilisticSampling").path("samplingRate").asDouble())
          .isEqualTo(0.5);
      HttpResponse<String> missing = ServerProcess.get(server.samplingHttpPort, "/sampling");
      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(missing.body()).contains("service");

      // the Jaeger client, left to its remote sampler, takes the file's rate for its service
      System.setProperty("JAEGER_SERVICE_NAME", "checkout");
      System.setProperty("JAEGER_SAMPLER_TYPE", "remote");
      System.setProperty("JAEGER_SAMPLER_MANAGER_HOST_PORT", "127.0.0.1:" + server.samplingHttpPort);
      JaegerTracer tracer = Configuration.fromEnv().getTracerBuilder()
          .withReporter(new InMemoryReporter()).build();
      try {
        // until its first poll the client samples at 0.001; sampled root spans carry the rate
        await(() -> {
          JaegerSpan span = tracer.buildSpan("pay").start();
          span.finish();
          return span.context().isSampled()
              && Double.valueOf(0.25).equals(span.getTags().get("sampler.param"));
        });
        JaegerSpan span;
        do {
          span = tracer.buildSpan("pay").start();
          span.finish();
        } while (!span.context().isSampled());
        assertThat(span.getTags()).containsEntry("sampler.type", "probabilistic");
      } finally {
        tracer.close();
        System.clearProperty("JAEGER_SERVICE_NAME");
        System.clearProperty("JAEGER_SAMPLER_TYPE");
        System.clearProperty("JAEGER_SAMPLER_MANAGER_HOST_PORT");
      }

      // a changed file is served without a restart
      Files.writeString(file, strategies(0.125));
      await(() -> JSON.readTree(ServerProcess.get(server.samplingHttpPort,
          "/sampling?service=checkout").body()).path("probabilisticSampling")
          .path("samplingRate").asDouble() == 0.125);
      JsonNode api = JSON.readTree(ServerProcess.get(server.queryPort,
          "/api/spanwise/sampling/strategies/checkout").body());
      assertThat(api.path("source").asText()).isEqualTo("file");
    } finally {
      server.assertStopsCleanly();
    }
  }

  @Test
  void adaptiveStrategiesComeFromStoredSpansAndSurviveARestart() throws Exception {
    Path data = tmp.resolve("data");
    ServerProcess server = new ServerProcess(data).start("--sampling-recompute-interval", "1s");
    JsonNode operations;
    try {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = ServerProcess.post(server.otlpHttpPort, "/v1/traces",
            "application/json", OtlpJson.trace("adaptive-shop", OtlpJson.randomHex(32), 1));
        assertThat(r.statusCode()).isEqualTo(200);
      }
      // the root operation appears with a probability computed from what was stored
      await(() -> operationsOf(server).size() > 0);
      operations = operationsOf(server);
      assertThat(operations.get(0).path("operation").asText()).isEqualTo("GET /checkout");
      JsonNode served = JSON.readTree(ServerProcess.get(server.samplingHttpPort,
          "/sampling?service=adaptive-shop").body());
      assertThat(served.path("operationSampling").path("perOperationStrategies").toString())
          .contains("GET /checkout");
    } finally {
      server.assertStopsCleanly();
    }
    ServerProcess restarted = new ServerProcess(data).start("--sampling-recompute-interval", "1h");
    try {
      // no span reached this process: it knows the operation from the state it kept
      JsonNode after = operationsOf(restarted);
      assertThat(after.size()).isEqualTo(operations.size());
      assertThat(after.get(0).path("operation").asText()).isEqualTo("GET /checkout");
      JsonNode served = JSON.readTree(ServerProcess.get(restarted.samplingHttpPort,
          "/sampling?service=adaptive-shop").body());
      assertThat(served.path("operationSampling").path("perOperationStrategies").toString())
          .contains("GET /checkout");
    } finally {
      restarted.assertStopsCleanly();
    }
  }

  private static JsonNode operationsOf(ServerProcess server) throws Exception {
    return JSON.readTree(ServerProcess.get(server.queryPort,
        "/api/spanwise/sampling/strategies/adaptive-shop").body()).path("operations");
  }

  private static void await(Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Boolean.TRUE.equals(condition.call())) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s");
      Thread.sleep(200);
    }
  }
}
