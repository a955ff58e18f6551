package dev.spanwise.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TIOStreamTransport;

/**
 * Encodes generated spans of one service instance as a Thrift binary {@code jaeger.thrift}
 * {@code Batch}, the body a Jaeger client POSTs to {@code /api/traces}, written field by field
 * with libthrift's {@link TBinaryProtocol} (no generated code). Mapped as OpenTelemetry's Jaeger
 * exporter did: the instance is the process ({@code serviceName} and the other resource
 * attributes as tags), attributes become typed tags, the kind a {@code span.kind} tag, the scope
 * {@code otel.scope.name}, an error {@code error=true} with {@code otel.status_code=ERROR}, events
 * logs with an {@code event} field; the parent is {@code parentSpanId}.
 *
 * <p>Trace ids are written as field 1 {@code traceIdLow} followed by field 2 {@code traceIdHigh},
 * which {@link BatchPool} finds and rewrites in place.
 */
final class JaegerThriftEncoder {
  /** Field header of {@code Span.traceIdLow}: type i64 (10), id 1. */
  static final byte[] TRACE_ID_LOW_FIELD = {TType.I64, 0, 1};
  /** Field header of {@code Span.traceIdHigh}: type i64 (10), id 2. */
  static final byte[] TRACE_ID_HIGH_FIELD = {TType.I64, 0, 2};

  private JaegerThriftEncoder() {}

  /** @throws IllegalArgumentException when the spans are not all of one service instance */
  static byte[] encode(List<LoadSpan> spans) {
    if (spans.isEmpty()) throw new IllegalArgumentException("spans: empty");
    ServiceInstance process = spans.get(0).instance();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(spans.size() * 600);
    TBinaryProtocol out;
    try {
      out = new TBinaryProtocol(new TIOStreamTransport(bytes));
      out.writeStructBegin(new TStruct("Batch"));
      field(out, TType.STRUCT, 1);
      out.writeStructBegin(new TStruct("Process"));
      field(out, TType.STRING, 1);
      out.writeString(process.service());
      Map<String, Object> resource = process.resourceAttributes();
      int tags = resource.containsKey("service.name") ? resource.size() - 1 : resource.size();
      field(out, TType.LIST, 2);
      out.writeListBegin(new TList(TType.STRUCT, tags));
      for (Map.Entry<String, Object> e : resource.entrySet()) {
        if (!e.getKey().equals("service.name")) tag(out, e.getKey(), e.getValue());
      }
      out.writeListEnd();
      out.writeFieldStop();
      out.writeStructEnd();

      field(out, TType.LIST, 2);
      out.writeListBegin(new TList(TType.STRUCT, spans.size()));
      for (LoadSpan s : spans) {
        if (!s.instance().instanceId().equals(process.instanceId())) {
          throw new IllegalArgumentException("spans: a Jaeger batch holds one process, found "
              + process.instanceId() + " and " + s.instance().instanceId());
        }
        span(out, s);
      }
      out.writeListEnd();
      out.writeFieldStop();
      out.writeStructEnd();
    } catch (TException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  private static void span(TBinaryProtocol out, LoadSpan s) throws TException {
    out.writeStructBegin(new TStruct("Span"));
    field(out, TType.I64, 1);
    out.writeI64(s.traceId().low());
    field(out, TType.I64, 2);
    out.writeI64(s.traceId().high());
    field(out, TType.I64, 3);
    out.writeI64(s.spanId());
    field(out, TType.I64, 4);
    out.writeI64(s.parentSpanId());
    field(out, TType.STRING, 5);
    out.writeString(s.name());
    field(out, TType.I32, 7);
    out.writeI32(1); // sampled
    long startMicros = s.startEpochNanos() / 1000;
    field(out, TType.I64, 8);
    out.writeI64(startMicros);
    field(out, TType.I64, 9);
    out.writeI64(Math.max(1, s.endEpochNanos() / 1000 - startMicros));

    int extra = 2 + (s.error() ? 2 : 0) + (s.error() && s.statusMessage() != null ? 1 : 0);
    field(out, TType.LIST, 10);
    out.writeListBegin(new TList(TType.STRUCT, s.attributes().size() + extra));
    for (Map.Entry<String, Object> a : s.attributes().entrySet()) tag(out, a.getKey(), a.getValue());
    tag(out, "span.kind", s.kind().name().toLowerCase(java.util.Locale.ROOT));
    tag(out, "otel.scope.name", s.scopeName());
    if (s.error()) {
      tag(out, "otel.status_code", "ERROR");
      tag(out, "error", Boolean.TRUE);
      if (s.statusMessage() != null) tag(out, "otel.status_description", s.statusMessage());
    }
    out.writeListEnd();

    if (!s.events().isEmpty()) {
      field(out, TType.LIST, 11);
      out.writeListBegin(new TList(TType.STRUCT, s.events().size()));
      for (LoadSpan.LoadEvent e : s.events()) {
        out.writeStructBegin(new TStruct("Log"));
        field(out, TType.I64, 1);
        out.writeI64(e.epochNanos() / 1000);
        field(out, TType.LIST, 2);
        out.writeListBegin(new TList(TType.STRUCT, e.attributes().size() + 1));
        tag(out, "event", e.name());
        for (Map.Entry<String, Object> a : e.attributes().entrySet()) {
          tag(out, a.getKey(), a.getValue());
        }
        out.writeListEnd();
        out.writeFieldStop();
        out.writeStructEnd();
      }
      out.writeListEnd();
    }
    out.writeFieldStop();
    out.writeStructEnd();
  }

  /** A {@code Tag}: vType 0 STRING, 1 DOUBLE, 2 BOOL, 3 LONG. */
  private static void tag(TBinaryProtocol out, String key, Object value) throws TException {
    out.writeStructBegin(new TStruct("Tag"));
    field(out, TType.STRING, 1);
    out.writeString(key);
    field(out, TType.I32, 2);
    if (value instanceof Long || value instanceof Integer) {
      out.writeI32(3);
      field(out, TType.I64, 6);
      out.writeI64(((Number) value).longValue());
    } else if (value instanceof Double) {
      out.writeI32(1);
      field(out, TType.DOUBLE, 4);
      out.writeDouble((Double) value);
    } else if (value instanceof Boolean) {
      out.writeI32(2);
      field(out, TType.BOOL, 5);
      out.writeBool((Boolean) value);
    } else {
      out.writeI32(0);
      field(out, TType.STRING, 3);
      out.writeString(String.valueOf(value));
    }
    out.writeFieldStop();
    out.writeStructEnd();
  }

  private static void field(TBinaryProtocol out, byte type, int id) throws TException {
    out.writeFieldBegin(new TField("", type, (short) id));
  }
}
