package dev.spanwise.codec.jaeger;

import dev.spanwise.codec.CodecException;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

/**
 * Decodes Jaeger's Thrift spans ({@code jaeger.thrift}): a {@code Batch} in the binary protocol,
 * as Jaeger clients POST it to a collector's {@code /api/traces}, and the agent's {@code
 * Agent.emitBatch} oneway message, as clients send it over UDP (compact protocol to port 6831,
 * binary to 6832). Structs are read field by field with libthrift's protocols; unknown fields are
 * skipped.
 *
 * <p>Hostile input is refused before anything is allocated for it: every list, set, map, string and
 * binary length is checked against the bytes left in the input (by the transport, which
 * libthrift's protocols ask, and again for the lists read here), and skipped values nest at most
 * {@value #MAX_SKIP_DEPTH} deep. A malformed body throws a {@link CodecException} naming the path ({@code
 * Batch.spans[3].tags[1]: unknown tag type 9}); a span with a zero trace or span id is rejected on
 * its own and counted in the {@link DecodeResult}. See {@link JaegerMapping} for the mapping.
 */
public final class JaegerThriftDecoder {
  /** Deepest nesting {@link TProtocolUtil#skip} follows in an unknown field. */
  static final int MAX_SKIP_DEPTH = 16;

  /** The Thrift protocol of a UDP port: compact on 6831, binary on 6832. */
  public enum Protocol {
    COMPACT,
    BINARY
  }

  /** Decodes a binary-protocol {@code Batch} (the body of {@code POST /api/traces}). */
  public static DecodeResult decodeBatch(byte[] thrift) {
    Reader r = new Reader(protocol(thrift, Protocol.BINARY));
    return r.run(() -> r.readBatch("Batch"));
  }

  /**
   * Decodes an {@code Agent.emitBatch} message (one UDP datagram): the message envelope, then the
   * arguments struct whose field 1 is the {@code Batch}.
   */
  public static DecodeResult decodeEmitBatch(byte[] datagram, Protocol protocol) {
    Reader r = new Reader(protocol(datagram, protocol));
    return r.run(r::readEmitBatch);
  }

  private static TProtocol protocol(byte[] bytes, Protocol protocol) {
    Input transport = new Input(bytes);
    return protocol == Protocol.COMPACT
        ? new TCompactProtocol(transport, bytes.length, bytes.length)
        : new TBinaryProtocol(transport, bytes.length, bytes.length, false, false);
  }

  /**
   * The body as a Thrift transport that refuses, before anything is allocated, any string, binary
   * or container length larger than the bytes it has left: libthrift's protocols call {@link
   * #checkReadBytesAvailable} with each length they read. (libthrift's own {@code
   * TMemoryInputTransport} checks against the whole message size, not what is left of it.)
   */
  private static final class Input extends TTransport {
    private final byte[] bytes;
    private final TConfiguration config;
    private int position;

    Input(byte[] bytes) {
      this.bytes = bytes;
      int size = Math.max(bytes.length, 1);
      this.config = new TConfiguration(size, size, MAX_SKIP_DEPTH + 8);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void open() {}

    @Override
    public void close() {}

    @Override
    public int read(byte[] buf, int off, int len) throws TTransportException {
      int n = Math.min(len, bytes.length - position);
      if (n <= 0) throw new TTransportException(TTransportException.END_OF_FILE, "body ends early");
      System.arraycopy(bytes, position, buf, off, n);
      position += n;
      return n;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws TTransportException {
      throw new TTransportException("read only");
    }

    @Override
    public byte[] getBuffer() {
      return bytes;
    }

    @Override
    public int getBufferPosition() {
      return position;
    }

    @Override
    public int getBytesRemainingInBuffer() {
      return bytes.length - position;
    }

    @Override
    public void consumeBuffer(int len) {
      position += len;
    }

    @Override
    public TConfiguration getConfiguration() {
      return config;
    }

    @Override
    public void updateKnownMessageSize(long size) {}

    @Override
    public void checkReadBytesAvailable(long numBytes) throws TTransportException {
      if (numBytes > bytes.length - position) {
        throw new TTransportException(TTransportException.END_OF_FILE, "a length of " + numBytes
            + " bytes is larger than the " + (bytes.length - position) + " bytes left in the body");
      }
    }
  }

  @FunctionalInterface
  private interface ThriftRead {
    void run() throws TException;
  }

  /** Reads one input, keeping the path being read for error messages. */
  private static final class Reader {
    private final TProtocol in;
    private final TTransport transport;
    private final String[] names = new String[16];
    private final int[] indexes = new int[16];
    private int depth;

    private final List<Span> spans = new ArrayList<>();
    private int rejected;
    private String firstRejection = "";

    Reader(TProtocol in) {
      this.in = in;
      this.transport = in.getTransport();
    }

    DecodeResult run(ThriftRead read) {
      try {
        read.run();
      } catch (TException e) {
        throw new CodecException(path() + ": " + describe(e), e);
      } catch (CodecException e) {
        throw e;
      } catch (RuntimeException e) { // libthrift's own guards (negative sizes and the like)
        throw new CodecException(path() + ": malformed Thrift (" + describe(e) + ")", e);
      }
      return DecodeResult.of(spans, rejected, firstRejection);
    }

    private static String describe(Exception e) {
      String message = e.getMessage();
      if (message == null || message.isBlank()) return e.getClass().getSimpleName();
      return message;
    }

    void readEmitBatch() throws TException {
      push("emitBatch", -1);
      TMessage message = in.readMessageBegin();
      if (message.type != TMessageType.ONEWAY && message.type != TMessageType.CALL) {
        throw fail("expected a oneway call, was message type " + message.type);
      }
      if (message.name.equals("emitZipkinBatch")) {
        throw fail("Agent.emitZipkinBatch (Zipkin v1 Thrift) is not supported; send "
            + "Agent.emitBatch (jaeger.thrift)");
      }
      if (!message.name.equals("emitBatch")) {
        throw fail("unknown method \"" + message.name + "\"; expected emitBatch");
      }
      boolean sawBatch = false;
      in.readStructBegin();
      while (true) {
        TField field = in.readFieldBegin();
        if (field.type == TType.STOP) break;
        if (field.id == 1) {
          expect(field, TType.STRUCT, "batch");
          readBatch("batch");
          sawBatch = true;
        } else {
          skip(field.type);
        }
        in.readFieldEnd();
      }
      in.readStructEnd();
      in.readMessageEnd();
      if (!sawBatch) throw fail("batch (field 1) is required");
      pop();
    }

    void readBatch(String name) throws TException {
      push(name, -1);
      Resource resource = Resource.EMPTY;
      List<PendingSpan> pending = new ArrayList<>();
      in.readStructBegin();
      while (true) {
        TField field = in.readFieldBegin();
        if (field.type == TType.STOP) break;
        switch (field.id) {
          case 1:
            expect(field, TType.STRUCT, "process");
            resource = readProcess();
            break;
          case 2: {
            expect(field, TType.LIST, "spans");
            TList list = listBegin("spans", TType.STRUCT);
            for (int i = 0; i < list.size; i++) {
              push("spans", i);
              pending.add(readSpan());
              pop();
            }
            in.readListEnd();
            break;
          }
          default: // seqNo, stats
            skip(field.type);
        }
        in.readFieldEnd();
      }
      in.readStructEnd();
      for (int i = 0; i < pending.size(); i++) {
        PendingSpan p = pending.get(i);
        if (p.rejection == null) {
          try {
            spans.add(JaegerMapping.build(
                p.builder.resource(resource), "", "traceIdHigh/traceIdLow", "spanId"));
            continue;
          } catch (CodecException e) {
            p.rejection = e.getMessage();
          }
        }
        // messages are relative (".startTime: ..."): the span's path is made only when rejected
        if (rejected++ == 0) firstRejection = path() + ".spans[" + i + "]" + p.rejection;
      }
      pop();
    }

    private Resource readProcess() throws TException {
      push("process", -1);
      String serviceName = "";
      Attributes tags = Attributes.EMPTY;
      in.readStructBegin();
      while (true) {
        TField field = in.readFieldBegin();
        if (field.type == TType.STOP) break;
        switch (field.id) {
          case 1:
            expect(field, TType.STRING, "serviceName");
            serviceName = in.readString();
            break;
          case 2:
            expect(field, TType.LIST, "tags");
            tags = readTags("tags");
            break;
          default:
            skip(field.type);
        }
        in.readFieldEnd();
      }
      in.readStructEnd();
      pop();
      return JaegerMapping.resource(serviceName, tags);
    }

    private PendingSpan readSpan() throws TException {
      long traceIdLow = 0;
      long traceIdHigh = 0;
      long spanId = 0;
      long parentSpanId = 0;
      String operationName = "";
      List<JaegerMapping.Reference> references = List.of();
      int flags = 0;
      long startTime = 0;
      long duration = 0;
      Attributes tags = Attributes.EMPTY;
      Span.Builder b = Span.builder();
      PendingSpan pending = new PendingSpan(b);
      in.readStructBegin();
      while (true) {
        TField field = in.readFieldBegin();
        if (field.type == TType.STOP) break;
        switch (field.id) {
          case 1:
            expect(field, TType.I64, "traceIdLow");
            traceIdLow = in.readI64();
            break;
          case 2:
            expect(field, TType.I64, "traceIdHigh");
            traceIdHigh = in.readI64();
            break;
          case 3:
            expect(field, TType.I64, "spanId");
            spanId = in.readI64();
            break;
          case 4:
            expect(field, TType.I64, "parentSpanId");
            parentSpanId = in.readI64();
            break;
          case 5:
            expect(field, TType.STRING, "operationName");
            operationName = in.readString();
            break;
          case 6:
            expect(field, TType.LIST, "references");
            references = readReferences();
            break;
          case 7:
            expect(field, TType.I32, "flags");
            flags = in.readI32();
            break;
          case 8:
            expect(field, TType.I64, "startTime");
            startTime = in.readI64();
            break;
          case 9:
            expect(field, TType.I64, "duration");
            duration = in.readI64();
            break;
          case 10:
            expect(field, TType.LIST, "tags");
            tags = readTags("tags");
            break;
          case 11:
            expect(field, TType.LIST, "logs");
            readLogs(pending);
            break;
          default:
            skip(field.type);
        }
        in.readFieldEnd();
      }
      in.readStructEnd();
      TraceId traceId = TraceId.of(traceIdHigh, traceIdLow);
      b.traceId(traceId).spanId(spanId).name(operationName).flags(flags);
      try {
        JaegerMapping.times(b, startTime, duration, "");
      } catch (CodecException e) {
        if (pending.rejection == null) pending.rejection = e.getMessage();
      }
      JaegerMapping.applyReferences(b, traceId, parentSpanId, references);
      JaegerMapping.applySpanTags(tags, b);
      return pending;
    }

    private List<JaegerMapping.Reference> readReferences() throws TException {
      TList list = listBegin("references", TType.STRUCT);
      List<JaegerMapping.Reference> out = new ArrayList<>(list.size);
      for (int i = 0; i < list.size; i++) {
        push("references", i);
        int refType = 0;
        long traceIdLow = 0;
        long traceIdHigh = 0;
        long spanId = 0;
        in.readStructBegin();
        while (true) {
          TField field = in.readFieldBegin();
          if (field.type == TType.STOP) break;
          switch (field.id) {
            case 1:
              expect(field, TType.I32, "refType");
              refType = in.readI32();
              break;
            case 2:
              expect(field, TType.I64, "traceIdLow");
              traceIdLow = in.readI64();
              break;
            case 3:
              expect(field, TType.I64, "traceIdHigh");
              traceIdHigh = in.readI64();
              break;
            case 4:
              expect(field, TType.I64, "spanId");
              spanId = in.readI64();
              break;
            default:
              skip(field.type);
          }
          in.readFieldEnd();
        }
        in.readStructEnd();
        if (refType != 0 && refType != 1) {
          throw fail("unknown refType " + refType + " (expected 0 CHILD_OF or 1 FOLLOWS_FROM)");
        }
        out.add(new JaegerMapping.Reference(
            refType == 0, TraceId.of(traceIdHigh, traceIdLow), spanId));
        pop();
      }
      in.readListEnd();
      return out;
    }

    private void readLogs(PendingSpan span) throws TException {
      TList list = listBegin("logs", TType.STRUCT);
      for (int i = 0; i < list.size; i++) {
        push("logs", i);
        long timestamp = 0;
        Attributes fields = Attributes.EMPTY;
        in.readStructBegin();
        while (true) {
          TField field = in.readFieldBegin();
          if (field.type == TType.STOP) break;
          switch (field.id) {
            case 1:
              expect(field, TType.I64, "timestamp");
              timestamp = in.readI64();
              break;
            case 2:
              expect(field, TType.LIST, "fields");
              fields = readTags("fields");
              break;
            default:
              skip(field.type);
          }
          in.readFieldEnd();
        }
        in.readStructEnd();
        if (timestamp < 0 || timestamp > Long.MAX_VALUE / 1000) {
          if (span.rejection == null) {
            span.rejection = ".logs[" + i + "].timestamp: must be between 0 and "
                + Long.MAX_VALUE / 1000 + " microseconds";
          }
        } else {
          span.builder.addEvent(JaegerMapping.event(timestamp * 1000, fields));
        }
        pop();
      }
      in.readListEnd();
    }

    private Attributes readTags(String name) throws TException {
      TList list = listBegin(name, TType.STRUCT);
      if (list.size == 0) {
        in.readListEnd();
        return Attributes.EMPTY;
      }
      Attributes.Builder b = Attributes.builder();
      for (int i = 0; i < list.size; i++) {
        push(name, i);
        String key = null;
        int type = -1;
        String vStr = null;
        double vDouble = 0;
        boolean vBool = false;
        long vLong = 0;
        byte[] vBinary = null;
        in.readStructBegin();
        while (true) {
          TField field = in.readFieldBegin();
          if (field.type == TType.STOP) break;
          switch (field.id) {
            case 1:
              expect(field, TType.STRING, "key");
              key = in.readString();
              break;
            case 2:
              expect(field, TType.I32, "vType");
              type = in.readI32();
              break;
            case 3:
              expect(field, TType.STRING, "vStr");
              vStr = in.readString();
              break;
            case 4:
              expect(field, TType.DOUBLE, "vDouble");
              vDouble = in.readDouble();
              break;
            case 5:
              expect(field, TType.BOOL, "vBool");
              vBool = in.readBool();
              break;
            case 6:
              expect(field, TType.I64, "vLong");
              vLong = in.readI64();
              break;
            case 7:
              expect(field, TType.STRING, "vBinary");
              ByteBuffer buffer = in.readBinary();
              vBinary = new byte[buffer.remaining()];
              buffer.get(vBinary);
              break;
            default:
              skip(field.type);
          }
          in.readFieldEnd();
        }
        in.readStructEnd();
        if (key == null) throw fail("key is required");
        switch (type) {
          case 0: // STRING
            b.put(key, AttributeValue.of(vStr == null ? "" : vStr));
            break;
          case 1: // DOUBLE
            b.put(key, AttributeValue.of(vDouble));
            break;
          case 2: // BOOL
            b.put(key, AttributeValue.of(vBool));
            break;
          case 3: // LONG
            b.put(key, AttributeValue.of(vLong));
            break;
          case 4: // BINARY
            b.put(key, AttributeValue.ofBytes(vBinary == null ? new byte[0] : vBinary));
            break;
          case -1:
            throw fail("vType is required");
          default:
            throw fail("unknown tag type " + type
                + " (expected 0 STRING, 1 DOUBLE, 2 BOOL, 3 LONG or 4 BINARY)");
        }
        pop();
      }
      in.readListEnd();
      return b.build();
    }

    /**
     * Reads a list header, refusing a size that the bytes left cannot hold (every element takes at
     * least one byte) before anything is allocated for it.
     */
    private TList listBegin(String name, byte elementType) throws TException {
      push(name, -1);
      TList list = in.readListBegin();
      if (list.size < 0) throw fail("negative list size " + list.size);
      int remaining = transport.getBytesRemainingInBuffer();
      if (list.size > remaining) {
        throw fail("list of " + list.size + " elements is larger than the " + remaining
            + " bytes left in the body");
      }
      if (list.size > 0 && list.elemType != elementType) {
        throw fail("expected a list of Thrift type " + elementType + ", was " + list.elemType);
      }
      pop();
      return list;
    }

    private void skip(byte type) throws TException {
      TProtocolUtil.skip(in, type, MAX_SKIP_DEPTH);
    }

    private void expect(TField field, byte type, String name) {
      if (field.type != type) {
        push(name, -1);
        throw fail("expected Thrift type " + type + ", was " + field.type);
      }
    }

    private void push(String name, int index) {
      if (depth == names.length) throw fail("nested too deep");
      names[depth] = name;
      indexes[depth] = index;
      depth++;
    }

    private void pop() {
      depth--;
    }

    private CodecException fail(String message) {
      return new CodecException(path() + ": " + message);
    }

    /** The path being read, e.g. {@code Batch.spans[3].tags[1]}. */
    private String path() {
      if (depth == 0) return "body";
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < depth; i++) {
        if (i > 0) sb.append('.');
        sb.append(names[i]);
        if (indexes[i] >= 0) sb.append('[').append(indexes[i]).append(']');
      }
      return sb.toString();
    }

  }

  /** A span read but not built: the batch's process comes last. */
  private static final class PendingSpan {
    final Span.Builder builder;
    /** Why the span is rejected, relative to its path ({@code .startTime: ...}); null if not. */
    String rejection;

    PendingSpan(Span.Builder builder) {
      this.builder = builder;
    }
  }

  private JaegerThriftDecoder() {}
}
