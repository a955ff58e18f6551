package dev.spanwise.collector.receiver;

import dev.spanwise.codec.jaeger.JaegerThriftDecoder;
import dev.spanwise.collector.OverloadedException;
import dev.spanwise.collector.SpanPipeline;
import dev.spanwise.collector.receiver.internal.CodecDecoders;
import dev.spanwise.collector.receiver.internal.DecodedBatch;
import dev.spanwise.collector.receiver.internal.InFlightBudget;
import dev.spanwise.collector.receiver.internal.ReceiverMetrics;
import dev.spanwise.collector.receiver.internal.RefusedException;
import dev.spanwise.collector.receiver.internal.Reservation;
import dev.spanwise.collector.receiver.internal.SpanBatchDecoder;
import dev.spanwise.storage.Tenants;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jaeger agent's UDP receiver: {@code Agent.emitBatch} datagrams in Thrift compact (port {@value
 * #DEFAULT_COMPACT_PORT}) or binary (port {@value #DEFAULT_BINARY_PORT}), so that a Jaeger client
 * left on its defaults reports straight to Spanwise with no agent in between.
 *
 * <p>UDP has no acknowledgement: each datagram is decoded on the port's reader thread and handed to
 * the pipeline without waiting; nothing tells the client whether it was kept. What happened to each
 * datagram is counted in {@code spanwise.udp.packets{port,protocol,result}}, where result is
 * {@code received} (every datagram read) and then one of {@code accepted} (made durable), {@code
 * malformed} (not a valid emitBatch, or no valid span), {@code too_large}, {@code
 * dropped_overload} (in-flight budget or pipeline full) or {@code failed} (pipeline error); spans
 * are counted in {@code spanwise.spans.received/accepted/refused{protocol}} as for the other
 * receivers.
 *
 * <p>Datagrams are read into a buffer of the packet size limit plus one byte (default {@value
 * #DEFAULT_MAX_PACKET_BYTES} bytes, as Jaeger's agent). The operating system cuts a datagram to the
 * buffer it is read into, so a datagram above the limit arrives cut to limit + 1 bytes: it is
 * counted as {@code too_large} and dropped whole, never decoded in part. Jaeger clients keep their
 * datagrams below 65,000 bytes by default. Datagrams the socket's receive buffer cannot hold while
 * the reader is busy are dropped by the operating system and not seen here.
 *
 * <p>{@link #start()} binds and starts one daemon reader thread; {@link #close()} closes the socket
 * and stops it. Spans being written when it closes still reach the pipeline.
 */
public final class JaegerUdpReceiver implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(JaegerUdpReceiver.class);

  public static final int DEFAULT_COMPACT_PORT = 6831;
  public static final int DEFAULT_BINARY_PORT = 6832;
  public static final int DEFAULT_MAX_PACKET_BYTES = 65_000;
  /** The largest UDP payload (65,535 - 8 bytes UDP header). */
  public static final int MAX_PACKET_BYTES_CEILING = 65_527;
  private static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

  /** What happened to a datagram: the {@code result} tag of {@code spanwise.udp.packets}. */
  enum Result {
    RECEIVED,
    ACCEPTED,
    MALFORMED,
    TOO_LARGE,
    DROPPED_OVERLOAD,
    FAILED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final SpanPipeline pipeline;
  private final InetSocketAddress bindAddress;
  private final JaegerThriftDecoder.Protocol protocol;
  private final int maxPacketBytes;
  private final InFlightBudget budget;
  private final SpanBatchDecoder decoder;
  private final MeterRegistry registry;
  private final ReceiverMetrics metrics;
  private final String protocolName;
  private final Map<Result, Counter> packets = new EnumMap<>(Result.class);

  private DatagramChannel channel;
  private Thread reader;
  private volatile boolean closed;

  /**
   * @param bindAddress where to listen; port 0 picks a free one (see {@link #localAddress()})
   * @param protocol {@code COMPACT} for 6831, {@code BINARY} for 6832
   * @param maxPacketBytes the largest datagram accepted, 1 to {@value #MAX_PACKET_BYTES_CEILING}
   * @param limits the process's shared limits: datagrams being decoded and written count in its
   *     in-flight budget
   */
  public JaegerUdpReceiver(
      SpanPipeline pipeline,
      InetSocketAddress bindAddress,
      JaegerThriftDecoder.Protocol protocol,
      int maxPacketBytes,
      ReceiverLimits limits,
      MeterRegistry meterRegistry) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    if (maxPacketBytes < 1 || maxPacketBytes > MAX_PACKET_BYTES_CEILING) {
      throw new IllegalArgumentException("maxPacketBytes must be between 1 and "
          + MAX_PACKET_BYTES_CEILING + ": " + maxPacketBytes);
    }
    this.maxPacketBytes = maxPacketBytes;
    this.budget = Objects.requireNonNull(limits, "limits").budget();
    this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    this.decoder = CodecDecoders.jaegerAgent(protocol);
    this.protocolName = protocol == JaegerThriftDecoder.Protocol.COMPACT
        ? ReceiverMetrics.JAEGER_THRIFT_COMPACT
        : ReceiverMetrics.JAEGER_THRIFT_BINARY;
    this.metrics = new ReceiverMetrics(meterRegistry, protocolName, budget);
  }

  /** Binds the socket and starts the reader thread. */
  public synchronized JaegerUdpReceiver start() throws IOException {
    if (channel != null) throw new IllegalStateException("already started");
    if (closed) throw new IllegalStateException("closed");
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
      ch.bind(bindAddress);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot listen on udp " + bindAddress + ": " + e.getMessage(), e);
    }
    channel = ch;
    String port = String.valueOf(localAddress().getPort());
    for (Result result : Result.values()) {
      packets.put(result, Counter.builder("spanwise.udp.packets")
          .description("Jaeger agent UDP datagrams, by what became of them")
          .tag("port", port)
          .tag("protocol", protocolName)
          .tag("result", result.tag())
          .register(registry));
    }
    reader = new Thread(this::readLoop, "spanwise-jaeger-udp-" + port);
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  /** The bound address; its port is the real one when 0 was asked for. */
  public InetSocketAddress localAddress() {
    try {
      DatagramChannel ch = channel;
      if (ch == null) throw new IllegalStateException("not started");
      return (InetSocketAddress) ch.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("socket is closed", e);
    }
  }

  public JaegerThriftDecoder.Protocol protocol() {
    return protocol;
  }

  public int maxPacketBytes() {
    return maxPacketBytes;
  }

  private void readLoop() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(maxPacketBytes + 1);
    while (!closed) {
      buffer.clear();
      try {
        if (channel.receive(buffer) == null) continue;
      } catch (ClosedChannelException e) {
        return; // close()
      } catch (IOException e) {
        if (closed) return;
        logger.warn("Reading a Jaeger UDP datagram failed", e);
        continue;
      }
      buffer.flip();
      int size = buffer.remaining();
      count(Result.RECEIVED);
      if (size > maxPacketBytes) {
        count(Result.TOO_LARGE);
        continue;
      }
      byte[] datagram = new byte[size];
      buffer.get(datagram);
      handle(datagram);
    }
  }

  /** Decodes one datagram and hands its spans to the pipeline without waiting. */
  void handle(byte[] datagram) {
    if (pipeline.refusal() != null) {
      count(Result.DROPPED_OVERLOAD); // not decoded: under overload a datagram costs next to nothing
      return;
    }
    Reservation reservation = budget.tryReserve(budget.heldFor(datagram.length));
    if (reservation == null) {
      count(Result.DROPPED_OVERLOAD);
      return;
    }
    DecodedBatch batch;
    try {
      batch = decoder.decode(datagram);
    } catch (RuntimeException e) {
      reservation.close();
      logger.debug("Malformed Jaeger UDP datagram", e);
      count(Result.MALFORMED);
      return;
    }
    metrics.requestBytes(datagram.length);
    metrics.received(batch.spans().size() + batch.rejectedSpans());
    metrics.refused(RefusedException.Kind.INVALID.reason(), batch.rejectedSpans());
    if (batch.spans().isEmpty()) {
      reservation.close();
      count(Result.ACCEPTED);
      return;
    }
    CompletableFuture<Void> written;
    try {
      written = pipeline.write(Tenants.DEFAULT, batch.spans());
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    int spans = batch.spans().size();
    written.whenComplete((ignored, error) -> {
      reservation.close();
      if (error == null) {
        metrics.accepted(spans);
        count(Result.ACCEPTED);
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof OverloadedException) {
        metrics.refused(RefusedException.Kind.OVERLOADED.reason(), spans);
        count(Result.DROPPED_OVERLOAD);
      } else {
        metrics.refused("pipeline_error", spans);
        count(Result.FAILED);
        logger.warn("Span pipeline failed to write {} spans from udp", spans, cause);
      }
    });
  }

  private void count(Result result) {
    packets.get(result).increment();
  }

  /** Closes the socket and stops the reader thread. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException e) {
      logger.debug("Closing the Jaeger UDP socket failed", e);
    }
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "JaegerUdpReceiver{" + protocolName + " " + bindAddress + " max "
        + maxPacketBytes + " bytes" + (closed ? ", closed" : "") + "}";
  }
}
