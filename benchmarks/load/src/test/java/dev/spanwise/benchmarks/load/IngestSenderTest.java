package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import dev.spanwise.benchmarks.load.IngestSender.Outcome;
import dev.spanwise.benchmarks.load.IngestSender.Result;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngestSenderTest {
  static FakeReceivers receivers;
  static final List<LoadSpan> SPANS = EncodersTest.spans(31, 5);

  @BeforeAll
  static void start() {
    receivers = new FakeReceivers();
  }

  @AfterAll
  static void stop() {
    receivers.close();
  }

  @BeforeEach
  void reset() {
    receivers.mode = FakeReceivers.Mode.ACCEPT;
  }

  Result send(Protocol protocol) {
    try (IngestSender sender = new IngestSender(protocol, receivers.target(), false,
        Duration.ofSeconds(10))) {
      return sender.send(protocol.encode(SPANS), SPANS.size()).join();
    }
  }

  @Test
  void otlpHttpAcknowledgesAllSpans() {
    long before = receivers.otlpSpans.get();
    Result r = send(Protocol.OTLP_HTTP);
    assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(r.acceptedSpans()).isEqualTo(SPANS.size());
    assertThat(receivers.otlpSpans.get() - before).isEqualTo(SPANS.size());
  }

  @Test
  void otlpPartialSuccessSubtractsRejectedSpans() {
    receivers.mode = FakeReceivers.Mode.PARTIAL;
    for (Protocol p : List.of(Protocol.OTLP_HTTP, Protocol.OTLP_GRPC)) {
      Result r = send(p);
      assertThat(r.outcome()).as(p.flag).isEqualTo(Outcome.ACCEPTED);
      assertThat(r.acceptedSpans()).as(p.flag).isEqualTo(SPANS.size() - 3);
      assertThat(r.rejectedSpans()).as(p.flag).isEqualTo(3);
    }
  }

  @Test
  void aSuccessWithoutAProtobufBodyAcknowledgesAll() {
    receivers.mode = FakeReceivers.Mode.TEXT_OK;
    Result r = send(Protocol.OTLP_HTTP);
    assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(r.acceptedSpans()).isEqualTo(SPANS.size());
  }

  @Test
  void otlpGrpcReachesARealGrpcService() {
    long before = receivers.grpcSpans.get();
    Result r = send(Protocol.OTLP_GRPC);
    assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(r.acceptedSpans()).isEqualTo(SPANS.size());
    assertThat(receivers.grpcSpans.get() - before).isEqualTo(SPANS.size());
  }

  @Test
  void refusalsCarryRetryAfter() {
    receivers.mode = FakeReceivers.Mode.REFUSE;
    Result http = send(Protocol.OTLP_HTTP);
    assertThat(http.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(http.retryAfterMillis()).isEqualTo(3000);
    assertThat(send(Protocol.ZIPKIN_JSON).outcome()).isEqualTo(Outcome.REFUSED);
    Result grpc = send(Protocol.OTLP_GRPC);
    assertThat(grpc.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(grpc.detail()).contains("14");
    assertThat(grpc.retryAfterMillis()).isEqualTo(3000); // its RetryInfo
  }

  @Test
  void aGrpcRetryDelayIsReadFromTheStatusDetails() {
    com.google.rpc.Status withDelay = com.google.rpc.Status.newBuilder()
        .setCode(14)
        .addDetails(Any.pack(com.google.rpc.ErrorInfo.newBuilder().setReason("other").build()))
        .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
            com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(250_000_000))
            .build()))
        .build();
    assertThat(IngestSender.retryDelayMillis(base64(withDelay))).isEqualTo(1250);
    // no RetryInfo, no details, not base64, not a Status: the sender's own back-off
    assertThat(IngestSender.retryDelayMillis(
        base64(com.google.rpc.Status.newBuilder().setCode(14).build()))).isEqualTo(-1);
    assertThat(IngestSender.retryDelayMillis(null)).isEqualTo(-1);
    assertThat(IngestSender.retryDelayMillis("%%%")).isEqualTo(-1);
    assertThat(IngestSender.retryDelayMillis("AAEC")).isEqualTo(-1);
  }

  private static String base64(com.google.rpc.Status status) {
    return Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray());
  }

  @Test
  void zipkinAcceptsWith202() {
    int before = receivers.zipkinRequests.get();
    Result r = send(Protocol.ZIPKIN_JSON);
    assertThat(r.outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(r.acceptedSpans()).isEqualTo(SPANS.size());
    assertThat(receivers.zipkinRequests.get()).isEqualTo(before + 1);
  }

  @Test
  void otherStatusesAreErrorsWithTheServersReason() {
    receivers.mode = FakeReceivers.Mode.BAD_REQUEST;
    Result r = send(Protocol.OTLP_HTTP);
    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.detail()).contains("HTTP 400").contains("traceId");
  }

  @Test
  void connectionFailuresAreErrors() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (IngestSender sender = new IngestSender(Protocol.ZIPKIN_JSON,
        new HostAndPort("127.0.0.1", port), false, Duration.ofSeconds(5))) {
      Result r = sender.send(Protocol.ZIPKIN_JSON.encode(SPANS), SPANS.size()).join();
      assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
      assertThat(r.detail()).isNotBlank();
    }
  }
}
