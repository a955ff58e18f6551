package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.storage.Tenants;
import io.jaegertracing.thriftjava.Batch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JaegerThriftHttpReceiverTest {
  static final String TRACES = "/api/traces";
  static final String THRIFT = "application/vnd.apache.thrift.binary";

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakePipeline pipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
  TestServer server;

  TestServer start(ReceiverLimits limits) {
    server = new TestServer(new JaegerThriftHttpReceiver(pipeline, limits, registry)::configure);
    return server;
  }

  TestServer start() {
    return start(ReceiverLimits.defaults());
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  double counter(String name) {
    var c = registry.find(name).tag("protocol", "jaeger_thrift_http").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void batchIsAcceptedWith202OnceDurable() {
    AggregatedHttpResponse res = start().post(TRACES, THRIFT, JaegerPayloads.binary(
        JaegerPayloads.batch(2)));

    assertThat(res.status().code()).isEqualTo(202);
    assertThat(pipeline.writes.get(0).tenant).isEqualTo(Tenants.DEFAULT);
    assertThat(pipeline.spans()).hasSize(2);
    Span span = pipeline.spans().get(0);
    assertThat(span.traceId().toHex()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(span.serviceName()).isEqualTo("checkout");
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(pipeline.spans().get(1).parentSpanId()).isEqualTo(0x100);
    assertThat(counter("spanwise.spans.received")).isEqualTo(2);
    assertThat(counter("spanwise.spans.accepted")).isEqualTo(2);
  }

  @Test
  void xThriftAndGzipAreAccepted() {
    byte[] body = JaegerPayloads.binary(JaegerPayloads.batch(1));
    assertThat(start().post(TRACES, "application/x-thrift", body).status().code()).isEqualTo(202);
    assertThat(server.post(TRACES, THRIFT, TestSpans.gzip(body), "content-encoding", "gzip")
        .status().code()).isEqualTo(202);
    assertThat(pipeline.spans()).hasSize(2);
  }

  @Test
  void malformedBodyIs400NamingThePath() {
    byte[] body = JaegerPayloads.binary(JaegerPayloads.batch(3));
    AggregatedHttpResponse res = start().post(TRACES, THRIFT, Arrays.copyOf(body, body.length - 9));

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentType().subtype()).isEqualTo("plain");
    assertThat(res.contentUtf8()).startsWith("Batch.spans[2]");
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void containerSizeBombIs400() {
    // Batch field 2 (spans): list of 2^31-1 structs, in 9 bytes
    byte[] bomb = {15, 0, 2, 12, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0};
    AggregatedHttpResponse res = start().post(TRACES, THRIFT, bomb);

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentUtf8()).startsWith("Batch.spans");
  }

  @Test
  void invalidSpansAreDroppedAndCountedAndNoneLeftIs400() {
    Batch batch = JaegerPayloads.batch(2);
    batch.getSpans().get(1).setSpanId(0);
    AggregatedHttpResponse res = start().post(TRACES, THRIFT, JaegerPayloads.binary(batch));

    assertThat(res.status().code()).isEqualTo(202);
    assertThat(pipeline.spans()).hasSize(1);
    assertThat(registry.get("spanwise.spans.refused").tag("protocol", "jaeger_thrift_http")
        .tag("reason", "invalid").counter().count()).isEqualTo(1);

    Batch allBad = JaegerPayloads.batch(1);
    allBad.getSpans().get(0).setSpanId(0);
    res = server.post(TRACES, THRIFT, JaegerPayloads.binary(allBad));
    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentUtf8()).isEqualTo("Batch.spans[0].spanId: must not be zero");
  }

  @Test
  void otherContentTypeIs415() {
    AggregatedHttpResponse res = start().post(TRACES, "application/json",
        "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(res.status().code()).isEqualTo(415);
    assertThat(res.contentUtf8()).contains("application/vnd.apache.thrift.binary");
  }

  @Test
  void otherMethodIs405() {
    AggregatedHttpResponse res =
        start().client.blocking().execute(RequestHeaders.of(HttpMethod.GET, TRACES));

    assertThat(res.status().code()).isEqualTo(405);
  }

  @Test
  void limitIsCountedAfterDecompression() {
    AggregatedHttpResponse res = start(ReceiverLimits.builder().maxBodyBytes(1024).build())
        .post(TRACES, THRIFT, TestSpans.gzippedZeros(8192), "content-encoding", "gzip");

    assertThat(res.status().code()).isEqualTo(413);
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void pipelineOverloadIs503WithRetryAfter() {
    pipeline.mode(FakePipeline.Mode.OVERLOADED);
    pipeline.retryAfter(Duration.ofSeconds(4));
    AggregatedHttpResponse res = start().post(TRACES, THRIFT,
        JaegerPayloads.binary(JaegerPayloads.batch(1)));

    assertThat(res.status().code()).isEqualTo(503);
    assertThat(res.headers().get("retry-after")).isEqualTo("4");
  }

  @Test
  void overInFlightBudgetIs503BeforeReading() throws Exception {
    pipeline.mode(FakePipeline.Mode.MANUAL);
    ReceiverLimits limits = ReceiverLimits.builder()
        .maxBodyBytes(2048).maxInFlightBytes(2048).retryAfter(Duration.ofSeconds(2)).build();
    byte[] body = JaegerPayloads.binary(JaegerPayloads.batch(8));
    assertThat(body.length).isBetween(1025, 2048);
    CompletableFuture<AggregatedHttpResponse> first = start(limits).postAsync(TRACES, THRIFT, body);
    FakePipeline.Write held = pipeline.awaitWrite();

    AggregatedHttpResponse second = server.post(TRACES, THRIFT, body);
    assertThat(second.status().code()).isEqualTo(503);
    assertThat(second.headers().get("retry-after")).isEqualTo("2");

    held.future.complete(null);
    assertThat(first.join().status().code()).isEqualTo(202);
  }

  @Test
  void answersOnlyAfterThePipelineFutureCompletes() throws Exception {
    pipeline.mode(FakePipeline.Mode.MANUAL);
    CompletableFuture<AggregatedHttpResponse> res =
        start().postAsync(TRACES, THRIFT, JaegerPayloads.binary(JaegerPayloads.batch(1)));
    FakePipeline.Write write = pipeline.awaitWrite();
    assertThat(res).isNotDone();

    write.future.complete(null);
    assertThat(res.join().status().code()).isEqualTo(202);
  }
}
