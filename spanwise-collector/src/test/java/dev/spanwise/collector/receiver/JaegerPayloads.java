package dev.spanwise.collector.receiver;

import io.jaegertracing.agent.thrift.Agent;
import io.jaegertracing.thriftjava.Batch;
import io.jaegertracing.thriftjava.Process;
import io.jaegertracing.thriftjava.Span;
import io.jaegertracing.thriftjava.Tag;
import io.jaegertracing.thriftjava.TagType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryBuffer;

/** Jaeger Thrift payloads written by the Jaeger client library's generated classes. */
final class JaegerPayloads {
  private JaegerPayloads() {}

  /** A batch of {@code count} spans of service "checkout" in trace 0x0af7651916cd43dd:0x8448eb211c80319c. */
  static Batch batch(int count) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spans.add(new Span(0x8448eb211c80319cL, 0x0af7651916cd43ddL, 0x100 + i, i == 0 ? 0 : 0x100,
          "GET /checkout", 1, 1_700_000_000_000_000L + i, 1500)
          .setTags(List.of(new Tag("span.kind", TagType.STRING).setVStr("server"),
              new Tag("http.method", TagType.STRING).setVStr("GET"))));
    }
    return new Batch(new Process("checkout"), spans);
  }

  static byte[] binary(Batch batch) {
    try {
      return new TSerializer(new TBinaryProtocol.Factory()).serialize(batch);
    } catch (TException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code Agent.emitBatch} as the Jaeger client's UDP sender writes it. */
  static byte[] emitBatch(Batch batch, boolean compact) {
    try {
      TMemoryBuffer buffer = new TMemoryBuffer(1024);
      TProtocol out = compact ? new TCompactProtocol(buffer) : new TBinaryProtocol(buffer);
      new Agent.Client(out).emitBatch(batch);
      return Arrays.copyOf(buffer.getArray(), buffer.length());
    } catch (TException e) {
      throw new AssertionError(e);
    }
  }
}
