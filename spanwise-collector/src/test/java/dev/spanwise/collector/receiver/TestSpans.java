package dev.spanwise.collector.receiver;

import com.google.protobuf.ByteString;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Request bodies and spans for receiver tests. */
final class TestSpans {
  static final byte[] TRACE_ID = hex("0af7651916cd43dd8448eb211c80319c");
  static final byte[] SPAN_ID = hex("b7ad6b7169203331");

  private TestSpans() {}

  static Span span(long spanId) {
    return Span.builder()
        .traceId(TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"))
        .spanId(spanId)
        .name("get /checkout")
        .startEpochNanos(1_000)
        .endEpochNanos(2_000)
        .build();
  }

  /** An export with one good span, plus {@code badSpans} spans whose trace id is 8 bytes. */
  static ExportTraceServiceRequest exportRequest(int badSpans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(ByteString.copyFrom(TRACE_ID))
            .setSpanId(ByteString.copyFrom(SPAN_ID))
            .setName("get /checkout")
            .setStartTimeUnixNano(1_000)
            .setEndTimeUnixNano(2_000));
    for (int i = 0; i < badSpans; i++) {
      scope.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
          .setTraceId(ByteString.copyFrom(SPAN_ID))
          .setSpanId(ByteString.copyFrom(SPAN_ID))
          .setName("bad")
          .setStartTimeUnixNano(1_000)
          .setEndTimeUnixNano(2_000));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
            .addScopeSpans(scope))
        .build();
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@code inflated} zero bytes (a multiple of 1 MiB), gzipped: a decompression bomb when large.
   * Made of identical gzip members of 1 MiB each, concatenated as RFC 1952 allows, so that a
   * 1 GiB bomb (about 1 MiB on the wire) is built in milliseconds.
   */
  static byte[] gzippedZeros(long inflated) {
    int mib = 1024 * 1024;
    if (inflated % mib != 0) return gzip(new byte[(int) inflated]);
    byte[] member = gzip(new byte[mib]);
    int count = (int) (inflated / mib);
    byte[] out = new byte[member.length * count];
    for (int i = 0; i < count; i++) {
      System.arraycopy(member, 0, out, i * member.length, member.length);
    }
    return out;
  }

  static byte[] hex(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static List<Span> oneSpan() {
    return List.of(span(1));
  }
}
