package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.RequestHeaders;
import dev.spanwise.codec.CodecException;
import dev.spanwise.collector.OverloadedException;
import dev.spanwise.collector.receiver.internal.CodecDecoders;
import dev.spanwise.collector.receiver.internal.DecodedBatch;
import dev.spanwise.collector.receiver.internal.InFlightBudget;
import dev.spanwise.collector.receiver.internal.SpanBatchDecoder;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.storage.Tenants;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpHttpReceiverTest {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakePipeline pipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
  /** A JSON decoder stand-in: "reject" yields a partial success, anything else one span. */
  final SpanBatchDecoder fakeJson = body -> {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.contains("reject")) {
      return new DecodedBatch(TestSpans.oneSpan(), 2, "resourceSpans[0].scopeSpans[0].spans[1]"
          + ".traceId: must be 32 hex digits");
    }
    if (!text.startsWith("{")) throw new CodecException("body is not a JSON object");
    return DecodedBatch.of(TestSpans.oneSpan());
  };
  TestServer server;

  TestServer start(ReceiverLimits limits) {
    OtlpHttpReceiver receiver = new OtlpHttpReceiver(
        pipeline, limits, registry, CodecDecoders.otlpProtobuf(), fakeJson);
    server = new TestServer(receiver::configure);
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
  void protobufExportIsAnsweredWithEmptyResponseOnceDurable() throws Exception {
    byte[] body = TestSpans.exportRequest(0).toByteArray();
    AggregatedHttpResponse res = start().post("/v1/traces", PROTOBUF, body);

    assertThat(res.status().code()).isEqualTo(200);
    assertThat(res.contentType().toString()).startsWith(PROTOBUF);
    ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(res.content().array());
    assertThat(parsed.hasPartialSuccess()).isFalse();
    assertThat(pipeline.writes).hasSize(1);
    assertThat(pipeline.writes.get(0).tenant).isEqualTo(Tenants.DEFAULT);
    Span span = pipeline.spans().get(0);
    assertThat(span.traceId().toHex()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(SpanId.toHex(span.spanId())).isEqualTo("b7ad6b7169203331");
    assertThat(span.serviceName()).isEqualTo("checkout");
    // the request's bytes go along undecoded, for the write-ahead log to keep as they are
    assertThat(pipeline.writes.get(0).otlpTracesData).isEqualTo(body);
    assertThat(pipeline.writes.get(0).spanCount).isEqualTo(1);
  }

  @Test
  void protobufPartialSuccessCarriesRejectedCountAndMessage() throws Exception {
    AggregatedHttpResponse res = start().post(
        "/v1/traces", PROTOBUF, TestSpans.exportRequest(2).toByteArray());

    assertThat(res.status().code()).isEqualTo(200);
    ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(res.content().array());
    assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("traceId");
    assertThat(pipeline.spans()).hasSize(1);
    // the bytes hold spans that were rejected: the accepted ones must be encoded on their own
    assertThat(pipeline.writes.get(0).otlpTracesData).isNull();
    assertThat(registry.get("spanwise.spans.received").tag("protocol", "otlp_http").counter()
        .count()).isEqualTo(3);
    assertThat(registry.get("spanwise.spans.accepted").tag("protocol", "otlp_http").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get("spanwise.spans.refused").tag("protocol", "otlp_http")
        .tag("reason", "invalid").counter().count()).isEqualTo(2);
  }

  @Test
  void jsonExportIsAnsweredInJson() {
    AggregatedHttpResponse res = start().post("/v1/traces", JSON, "{}".getBytes(UTF8));

    assertThat(res.status().code()).isEqualTo(200);
    assertThat(res.contentType().subtype()).isEqualTo("json");
    assertThat(res.contentUtf8()).isEqualTo("{}");
  }

  @Test
  void jsonPartialSuccessIsProto3Json() {
    AggregatedHttpResponse res =
        start().post("/v1/traces", JSON + "; charset=utf-8", "{\"reject\":1}".getBytes(UTF8));

    assertThat(res.status().code()).isEqualTo(200);
    assertThat(res.contentUtf8()).isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"2\","
        + "\"errorMessage\":\"resourceSpans[0].scopeSpans[0].spans[1].traceId: must be 32 hex"
        + " digits\"}}");
  }

  @Test
  void otlpJsonWithHexIdsIsDecodedByTheCodec() {
    server = new TestServer(
        new OtlpHttpReceiver(pipeline, ReceiverLimits.defaults(), registry)::configure);
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"checkout\"}}]},\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\","
        + "\"parentSpanId\":\"00f067aa0ba902b7\",\"name\":\"get /checkout\",\"kind\":2,"
        + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000001000000\""
        + "}]}]}]}";
    AggregatedHttpResponse res = server.post("/v1/traces", JSON, json.getBytes(UTF8));

    assertThat(res.status().code()).isEqualTo(200);
    assertThat(res.contentUtf8()).isEqualTo("{}");
    Span span = pipeline.spans().get(0);
    assertThat(span.traceId().toHex()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(SpanId.toHex(span.spanId())).isEqualTo("b7ad6b7169203331");
    assertThat(SpanId.toHex(span.parentSpanId())).isEqualTo("00f067aa0ba902b7");
    assertThat(span.serviceName()).isEqualTo("checkout");
  }

  @Test
  void otlpJsonWithBase64IdsIsRejectedNamingTheField() {
    server = new TestServer(
        new OtlpHttpReceiver(pipeline, ReceiverLimits.defaults(), registry)::configure);
    // what protobuf's JsonFormat would write: base64, not hex
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"CvdlGRbNQ92ESOshHIAxnA==\",\"spanId\":\"t61rcWkgMzE=\","
        + "\"name\":\"x\"}]}]}]}";
    AggregatedHttpResponse res = server.post("/v1/traces", JSON, json.getBytes(UTF8));

    // either the whole request (400) or the span (partial success) is refused, naming traceId
    assertThat(res.status().code()).isIn(200, 400);
    assertThat(res.contentUtf8()).contains("traceId");
    assertThat(pipeline.spans()).isEmpty();
  }

  @Test
  void malformedProtobufIs400WithStatusNamingTheProblem() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};
    AggregatedHttpResponse res = start().post("/v1/traces", PROTOBUF, garbage);

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentType().toString()).startsWith(PROTOBUF);
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(res.content().array());
    assertThat(status.getCode()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage()).contains("protobuf");
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void malformedJsonIs400WithJsonStatus() {
    AggregatedHttpResponse res = start().post("/v1/traces", JSON, "nope".getBytes(UTF8));

    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentType().subtype()).isEqualTo("json");
    assertThat(res.contentUtf8())
        .isEqualTo("{\"code\":3,\"message\":\"body is not a JSON object\"}");
  }

  @Test
  void otherContentTypeIs415() {
    AggregatedHttpResponse res = start().post("/v1/traces", "text/plain", "hi".getBytes(UTF8));

    assertThat(res.status().code()).isEqualTo(415);
    assertThat(res.contentUtf8()).contains("text/plain").contains("application/x-protobuf");
  }

  @Test
  void missingContentTypeIs415() {
    AggregatedHttpResponse res = start().post("/v1/traces", null, "hi".getBytes(UTF8));

    assertThat(res.status().code()).isEqualTo(415);
  }

  @Test
  void unsupportedContentEncodingIs415() {
    AggregatedHttpResponse res = start().post("/v1/traces", PROTOBUF,
        TestSpans.exportRequest(0).toByteArray(), "content-encoding", "br");

    assertThat(res.status().code()).isEqualTo(415);
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void otherMethodIs405() {
    AggregatedHttpResponse res = start().client.blocking()
        .execute(RequestHeaders.of(HttpMethod.GET, "/v1/traces"));

    assertThat(res.status().code()).isEqualTo(405);
  }

  @Test
  void gzipBodyIsInflated() {
    byte[] body = TestSpans.gzip(TestSpans.exportRequest(0).toByteArray());
    AggregatedHttpResponse res =
        start().post("/v1/traces", PROTOBUF, body, "content-encoding", "gzip");

    assertThat(res.status().code()).isEqualTo(200);
    assertThat(pipeline.spans()).hasSize(1);
  }

  @Test
  void malformedGzipIs400() {
    AggregatedHttpResponse res = start().post(
        "/v1/traces", PROTOBUF, "not gzip".getBytes(UTF8), "content-encoding", "gzip");

    assertThat(res.status().code()).isEqualTo(400);
  }

  @Test
  void bodyAboveTheLimitIs413() {
    byte[] body = new byte[2048];
    AggregatedHttpResponse res =
        start(ReceiverLimits.builder().maxBodyBytes(1024).build())
            .post("/v1/traces", PROTOBUF, body);

    assertThat(res.status().code()).isEqualTo(413);
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void streamedBodyWithoutContentLengthAboveTheLimitIs413InTheRequestEncoding() throws Exception {
    start(ReceiverLimits.builder().maxBodyBytes(1024).build());
    HttpRequestWriter req = HttpRequest.streaming(
        RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(
            com.linecorp.armeria.common.MediaType.JSON).build());
    CompletableFuture<AggregatedHttpResponse> res = server.client.execute(req).aggregate();
    for (int i = 0; i < 4; i++) req.write(HttpData.wrap(new byte[512]));
    req.close();

    AggregatedHttpResponse answer = res.join();
    assertThat(answer.status().code()).isEqualTo(413);
    assertThat(answer.contentType().subtype()).isEqualTo("json");
    assertThat(answer.contentUtf8()).contains("\"code\":8").contains("1024");
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void limitIsCountedAfterDecompression() {
    byte[] inflatesTo4k = TestSpans.gzippedZeros(4096);
    assertThat(inflatesTo4k.length).isLessThan(1024);

    AggregatedHttpResponse res = start(ReceiverLimits.builder().maxBodyBytes(1024).build())
        .post("/v1/traces", PROTOBUF, inflatesTo4k, "content-encoding", "gzip");

    assertThat(res.status().code()).isEqualTo(413);
    assertThat(res.contentType().toString()).startsWith(PROTOBUF);
    assertThat(pipeline.writes).isEmpty();
  }

  @Test
  void decompressionBombIsRefusedWithoutInflatingIt() {
    long inflated = 1024L * 1024 * 1024; // 1 GiB of zeros
    byte[] bomb = TestSpans.gzippedZeros(inflated);
    assertThat(bomb.length).isLessThan(2 * 1024 * 1024);
    start(); // default limit: 20 MiB

    long before = allocatedBytesOfAllThreads();
    AggregatedHttpResponse res =
        server.post("/v1/traces", PROTOBUF, bomb, "content-encoding", "gzip");
    long allocated = allocatedBytesOfAllThreads() - before;

    assertThat(res.status().code()).isEqualTo(413);
    assertThat(pipeline.writes).isEmpty();
    // inflating it would allocate at least 1 GiB; stopping at the 20 MiB limit costs far less
    assertThat(allocated).isLessThan(inflated / 4);
  }

  @Test
  void pipelineOverloadIs503WithRetryAfter() {
    pipeline.mode(FakePipeline.Mode.OVERLOADED);
    pipeline.retryAfter(Duration.ofMillis(2500));
    AggregatedHttpResponse res =
        start().post("/v1/traces", PROTOBUF, TestSpans.exportRequest(0).toByteArray());

    assertThat(res.status().code()).isEqualTo(503);
    assertThat(res.headers().get("retry-after")).isEqualTo("3");
    assertThat(registry.get("spanwise.spans.refused").tag("protocol", "otlp_http")
        .tag("reason", "overloaded").counter().count()).isEqualTo(1);
  }

  @Test
  void overloadedPipelineRefusesBeforeTheBodyIsRead() {
    pipeline.refusal(new OverloadedException("index_lag", Duration.ofSeconds(2), "behind"));
    start();
    // an undecodable body: a 503 rather than a 400 shows it was never decoded
    AggregatedHttpResponse res = server.post("/v1/traces", PROTOBUF, new byte[] {(byte) 0xff, 1});

    assertThat(res.status().code()).isEqualTo(503);
    assertThat(res.headers().get("retry-after")).isEqualTo("2");
    assertThat(res.contentUtf8()).contains("index_lag");
    assertThat(pipeline.writes).isEmpty();

    pipeline.refusal(null);
    assertThat(server.post("/v1/traces", PROTOBUF, TestSpans.exportRequest(0).toByteArray())
        .status().code()).isEqualTo(200);
    assertThat(pipeline.writes).hasSize(1);
  }

  @Test
  void overInFlightBudgetIs503WithRetryAfterBeforeDecoding() throws Exception {
    pipeline.mode(FakePipeline.Mode.MANUAL);
    // a request reserves HELD_PER_BODY_BYTE (6) times its body on arrival, and once its body is
    // scanned and passed on undecoded, HELD_PER_PASSED_BYTE (2) times: one of 600 bytes is
    // admitted in 4000 and then holds 1200; a second one, asking 3600 more, is refused
    ReceiverLimits limits = ReceiverLimits.builder()
        .maxBodyBytes(1000).maxInFlightBytes(4000).retryAfter(Duration.ofSeconds(7)).build();
    start(limits);
    byte[] body = TestSpans.exportRequest(0).toByteArray();
    byte[] padded = pad(body, 600);

    CompletableFuture<AggregatedHttpResponse> first = server.postAsync("/v1/traces", PROTOBUF, padded);
    FakePipeline.Write held = pipeline.awaitWrite();
    assertThat(limits.inFlightBytes()).isEqualTo(600L * InFlightBudget.HELD_PER_PASSED_BYTE);

    AggregatedHttpResponse refused = server.post("/v1/traces", PROTOBUF, padded);
    assertThat(refused.status().code()).isEqualTo(503);
    assertThat(refused.headers().get("retry-after")).isEqualTo("7");
    assertThat(pipeline.writes).hasSize(1);

    held.future.complete(null);
    assertThat(first.join().status().code()).isEqualTo(200);
    pipeline.mode(FakePipeline.Mode.COMPLETE);
    awaitBudgetReleased(limits);
    assertThat(server.post("/v1/traces", PROTOBUF, padded).status().code()).isEqualTo(200);
  }

  @Test
  void answersOnlyAfterThePipelineFutureCompletes() throws Exception {
    pipeline.mode(FakePipeline.Mode.MANUAL);
    CompletableFuture<AggregatedHttpResponse> res =
        start().postAsync("/v1/traces", PROTOBUF, TestSpans.exportRequest(0).toByteArray());

    FakePipeline.Write write = pipeline.awaitWrite();
    assertThat(res).isNotDone();
    assertThat(registry.find("spanwise.spans.accepted").counter().count()).isZero();

    write.future.complete(null);
    assertThat(res.join().status().code()).isEqualTo(200);
  }

  @Test
  void pipelineFailureIs500() {
    pipeline.mode(FakePipeline.Mode.FAIL);
    AggregatedHttpResponse res =
        start().post("/v1/traces", PROTOBUF, TestSpans.exportRequest(0).toByteArray());

    assertThat(res.status().code()).isEqualTo(500);
    assertThat(res.contentUtf8()).doesNotContain("disk on fire");
  }

  @Test
  void requestsAreCountedByStatus() {
    start().post("/v1/traces", "text/plain", new byte[1]);
    server.post("/v1/traces", PROTOBUF, TestSpans.exportRequest(0).toByteArray());

    awaitCount("415", "unsupported_media_type");
    awaitCount("200", "ok");
  }

  static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** Pads an OTLP request to {@code size} bytes with an unknown bytes field (number 15). */
  static byte[] pad(byte[] body, int size) {
    int fill = size - body.length - 3; // tag byte + 2-byte varint length
    assertThat(fill).isBetween(128, 16383);
    byte[] out = Arrays.copyOf(body, size);
    int i = body.length;
    out[i++] = (byte) ((15 << 3) | 2);
    out[i++] = (byte) ((fill & 0x7f) | 0x80);
    out[i] = (byte) (fill >>> 7);
    return out;
  }

  void awaitBudgetReleased(ReceiverLimits limits) throws InterruptedException {
    // released when the response has been fully sent, which may follow the client's view by a hair
    for (int i = 0; i < 3000 && limits.inFlightBytes() != 0; i++) Thread.sleep(10);
    assertThat(limits.inFlightBytes()).isZero();
  }

  void awaitCount(String status, String reason) {
    for (int i = 0; i < 3000; i++) {
      var counter = registry.find("spanwise.receiver.requests")
          .tag("protocol", "otlp_http").tag("status", status).tag("reason", reason).counter();
      if (counter != null && counter.count() == 1) return;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no request counted with status " + status + " " + reason);
  }

  static long allocatedBytesOfAllThreads() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = threads.getAllThreadIds();
    long total = 0;
    for (long allocated : threads.getThreadAllocatedBytes(ids)) {
      if (allocated > 0) total += allocated;
    }
    return total;
  }
}
