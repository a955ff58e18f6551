package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.storage.Tenants;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZipkinReceiverTest {
  static final String SPANS = "/api/v2/spans";
  static final byte[] JSON = ("[{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\","
      + "\"id\":\"b7ad6b7169203331\",\"parentId\":\"00f067aa0ba902b7\",\"kind\":\"SERVER\","
      + "\"name\":\"get /checkout\",\"timestamp\":1700000000000000,\"duration\":1500,"
      + "\"localEndpoint\":{\"serviceName\":\"checkout\"},\"tags\":{\"http.method\":\"GET\"}}]")
      .getBytes(StandardCharsets.UTF_8);

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakePipeline pipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
  TestServer server;

  TestServer start(ReceiverLimits limits) {
    server = new TestServer(new ZipkinReceiver(pipeline, limits, registry)::configure);
    return server;
  }

  TestServer start() {
    return start(ReceiverLimits.defaults());
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void jsonIsAcceptedWith202OnceDurable() {
    AggregatedHttpResponse res = start().post(SPANS, "application/json", JSON);

    assertThat(res.status().code()).isEqualTo(202);
    assertThat(pipeline.writes.get(0).tenant).isEqualTo(Tenants.DEFAULT);
    Span span = pipeline.spans().get(0);
    assertThat(span.traceId().toHex()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(SpanId.toHex(span.spanId())).isEqualTo("b7ad6b7169203331");
    assertThat(SpanId.toHex(span.parentSpanId())).isEqualTo("00f067aa0ba902b7");
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.serviceName()).isEqualTo("checkout");
    assertThat(span.attributes().getString("http.method")).isEqualTo("GET");
    assertThat(registry.get("spanwise.spans.accepted").tag("protocol", "zipkin").counter()
        .count()).isEqualTo(1);
  }

  @Test
  void bodyWithoutContentTypeIsReadAsJson() {
    AggregatedHttpResponse res = start().post(SPANS, null, JSON);

    assertThat(res.status().code()).isEqualTo(202);
    assertThat(pipeline.spans()).hasSize(1);
  }

  @Test
  void gzipJsonIsInflated() {
    AggregatedHttpResponse res = start().post(
        SPANS, "application/json", TestSpans.gzip(JSON), "content-encoding", "gzip");

    assertThat(res.status().code()).isEqualTo(202);
    assertThat(pipeline.spans()).hasSize(1);
  }

  @Test
  void invalidSpanIs400NamingTheField() {
    byte[] bad = "[{\"traceId\":\"xyz\",\"id\":\"b7ad6b7169203331\"}]"
        .getBytes(StandardCharsets.UTF_8);
    AggregatedHttpResponse res = start().post(SPANS, "application/json", bad);

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentType().subtype()).isEqualTo("plain");
    assertThat(res.contentUtf8()).contains("traceId");
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void malformedProto3Is400() {
    byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    AggregatedHttpResponse res = start().post(SPANS, "application/x-protobuf", garbage);

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void otherContentTypeIs415() {
    AggregatedHttpResponse res = start().post(SPANS, "application/x-thrift", new byte[] {1});

    assertThat(res.status().code()).isEqualTo(415);
    assertThat(res.contentUtf8()).contains("application/x-thrift");
  }

  @Test
  void otherMethodIs405() {
    AggregatedHttpResponse res =
        start().client.blocking().execute(RequestHeaders.of(HttpMethod.PUT, SPANS));

    assertThat(res.status().code()).isEqualTo(405);
  }

  @Test
  void limitIsCountedAfterDecompression() {
    AggregatedHttpResponse res = start(ReceiverLimits.builder().maxBodyBytes(1024).build())
        .post(SPANS, "application/json", TestSpans.gzippedZeros(8192), "content-encoding", "gzip");

    assertThat(res.status().code()).isEqualTo(413);
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void pipelineOverloadIs503WithRetryAfter() {
    pipeline.mode(FakePipeline.Mode.OVERLOADED);
    pipeline.retryAfter(Duration.ofSeconds(4));
    AggregatedHttpResponse res = start().post(SPANS, "application/json", JSON);

    assertThat(res.status().code()).isEqualTo(503);
    assertThat(res.headers().get("retry-after")).isEqualTo("4");
  }

  @Test
  void answersOnlyAfterThePipelineFutureCompletes() throws Exception {
    pipeline.mode(FakePipeline.Mode.MANUAL);
    CompletableFuture<AggregatedHttpResponse> res =
        start().postAsync(SPANS, "application/json", JSON);

    FakePipeline.Write write = pipeline.awaitWrite();
    assertThat(res).isNotDone();

    write.future.complete(null);
    assertThat(res.join().status().code()).isEqualTo(202);
  }

  @Test
  void receiversShareTheInFlightBudget() throws Exception {
    pipeline.mode(FakePipeline.Mode.MANUAL);
    ReceiverLimits limits =
        ReceiverLimits.builder().maxBodyBytes(JSON.length).maxInFlightBytes(JSON.length).build();
    FakePipeline otherPipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
    server = new TestServer(sb -> {
      new ZipkinReceiver(pipeline, limits, registry).configure(sb);
      new OtlpHttpReceiver(otherPipeline, limits, registry).configure(sb);
    });
    CompletableFuture<AggregatedHttpResponse> held =
        server.postAsync(SPANS, "application/json", JSON);
    FakePipeline.Write write = pipeline.awaitWrite();

    AggregatedHttpResponse refused = server.post("/v1/traces", "application/x-protobuf",
        TestSpans.exportRequest(0).toByteArray());
    assertThat(refused.status().code()).isEqualTo(503);
    assertThat(refused.headers().get("retry-after")).isEqualTo("1");
    assertThat(otherPipeline.writes).isEmpty();

    write.future.complete(null);
    assertThat(held.join().status().code()).isEqualTo(202);
  }
}
