package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.codec.jaeger.JaegerThriftDecoder.Protocol;
import dev.spanwise.model.Span;
import dev.spanwise.model.StatusCode;
import io.jaegertracing.internal.JaegerSpan;
import io.jaegertracing.internal.JaegerTracer;
import io.jaegertracing.internal.reporters.RemoteReporter;
import io.jaegertracing.internal.samplers.ConstSampler;
import io.jaegertracing.thrift.internal.senders.UdpSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentracing.tag.Tags;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JaegerUdpReceiverTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakePipeline pipeline = new FakePipeline(FakePipeline.Mode.COMPLETE);
  JaegerUdpReceiver receiver;

  JaegerUdpReceiver start(Protocol protocol, int maxPacketBytes) throws Exception {
    receiver = new JaegerUdpReceiver(pipeline, new InetSocketAddress("127.0.0.1", 0), protocol,
        maxPacketBytes, ReceiverLimits.defaults(), registry).start();
    return receiver;
  }

  @AfterEach
  void stop() {
    if (receiver != null) receiver.close();
  }

  double packets(String result) {
    Counter c = registry.find("spanwise.udp.packets")
        .tag("port", String.valueOf(receiver.localAddress().getPort()))
        .tag("result", result).counter();
    return c == null ? 0 : c.count();
  }

  /** Waits (bounded) for something the reader thread does; asserts nothing about time. */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      if (condition.getAsBoolean()) return;
      Thread.sleep(10);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  void send(byte[] datagram) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.send(new DatagramPacket(datagram, datagram.length, receiver.localAddress()));
    }
  }

  @Test
  void theJaegerClientsUdpSenderReachesThePipeline() throws Exception {
    start(Protocol.COMPACT, JaegerUdpReceiver.DEFAULT_MAX_PACKET_BYTES);
    UdpSender sender = new UdpSender("127.0.0.1", receiver.localAddress().getPort(), 0);
    JaegerTracer tracer = new JaegerTracer.Builder("udp-service")
        .withSampler(new ConstSampler(true))
        .withReporter(new RemoteReporter.Builder().withSender(sender).build())
        .build();
    JaegerSpan root = tracer.buildSpan("user_request").start();
    JaegerSpan child = tracer.buildSpan("product_service").asChildOf(root).start();
    Tags.ERROR.set(child, true);
    child.log(Map.of("event", "product details fetched"));
    child.finish();
    root.finish();
    tracer.close(); // flushes

    await(() -> pipeline.spans().size() == 2, "2 spans");
    Span product = pipeline.spans().stream()
        .filter(s -> s.name().equals("product_service")).findFirst().orElseThrow();
    assertThat(product.serviceName()).isEqualTo("udp-service");
    assertThat(product.status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(product.events().get(0).name()).isEqualTo("product details fetched");
    assertThat(product.parentSpanId()).isEqualTo(root.context().getSpanId());
    await(() -> packets("accepted") >= 1, "accepted packet");
    assertThat(packets("received")).isEqualTo(packets("accepted"));
    assertThat(registry.get("spanwise.spans.accepted").tag("protocol", "jaeger_thrift_compact")
        .counter().count()).isEqualTo(2);
  }

  @Test
  void binaryPortTakesBinaryEmitBatch() throws Exception {
    start(Protocol.BINARY, JaegerUdpReceiver.DEFAULT_MAX_PACKET_BYTES);
    send(JaegerPayloads.emitBatch(JaegerPayloads.batch(3), false));

    await(() -> packets("accepted") == 1, "accepted packet");
    assertThat(pipeline.spans()).hasSize(3);
    assertThat(pipeline.spans().get(0).serviceName()).isEqualTo("checkout");
  }

  @Test
  void malformedAndOversizePacketsAreCountedAndDropped() throws Exception {
    start(Protocol.COMPACT, 1000);
    send(new byte[] {1, 2, 3, 4, 5});
    await(() -> packets("malformed") == 1, "malformed packet");

    send(JaegerPayloads.emitBatch(JaegerPayloads.batch(1), false)); // binary on the compact port
    await(() -> packets("malformed") == 2, "second malformed packet");

    byte[] big = JaegerPayloads.emitBatch(JaegerPayloads.batch(40), true);
    assertThat(big.length).isGreaterThan(1000);
    send(big);
    await(() -> packets("too_large") == 1, "too large packet");

    send(JaegerPayloads.emitBatch(JaegerPayloads.batch(1), true));
    await(() -> packets("accepted") == 1, "accepted packet");
    assertThat(packets("received")).isEqualTo(4);
    assertThat(pipeline.spans()).hasSize(1);
  }

  @Test
  void overloadedPipelineDropsThePacket() throws Exception {
    pipeline.mode(FakePipeline.Mode.OVERLOADED);
    start(Protocol.COMPACT, JaegerUdpReceiver.DEFAULT_MAX_PACKET_BYTES);
    send(JaegerPayloads.emitBatch(JaegerPayloads.batch(2), true));

    await(() -> packets("dropped_overload") == 1, "dropped packet");
    assertThat(registry.get("spanwise.spans.refused").tag("protocol", "jaeger_thrift_compact")
        .tag("reason", "overloaded").counter().count()).isEqualTo(2);
  }

  @Test
  void packetsAreDroppedUndecodedWhileThePipelineRefuses() throws Exception {
    pipeline.refusal(new dev.spanwise.collector.OverloadedException(
        "index_lag", java.time.Duration.ofSeconds(1), "behind"));
    start(Protocol.COMPACT, JaegerUdpReceiver.DEFAULT_MAX_PACKET_BYTES);
    send(new byte[] {1, 2, 3}); // malformed: dropped before decoding, so not counted malformed
    await(() -> packets("dropped_overload") == 1, "dropped packet");
    assertThat(packets("malformed")).isZero();
    assertThat(pipeline.writes).isEmpty();

    pipeline.refusal(null);
    send(JaegerPayloads.emitBatch(JaegerPayloads.batch(1), true));
    await(() -> packets("accepted") == 1, "accepted packet");
  }

  @Test
  void closeReleasesThePortAndStopsTheReader() throws Exception {
    start(Protocol.COMPACT, 100);
    InetSocketAddress address = receiver.localAddress();
    receiver.close();
    try (java.nio.channels.DatagramChannel again = java.nio.channels.DatagramChannel.open()) {
      again.bind(address); // would fail if the socket were still open
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("spanwise-jaeger-udp-" + address.getPort()));
  }

  @Test
  void packetLimitIsValidated() {
    assertThatThrownBy(() -> new JaegerUdpReceiver(pipeline, new InetSocketAddress(0),
        Protocol.COMPACT, 70_000, ReceiverLimits.defaults(), registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPacketBytes");
  }
}
