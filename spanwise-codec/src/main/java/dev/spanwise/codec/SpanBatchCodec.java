package dev.spanwise.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.codec.internal.OtlpProtoWriter;
import dev.spanwise.model.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The byte form of a {@link SpanBatch} in the write-ahead log (and any other durable log). One
 * array per batch:
 *
 * <pre>
 * byte    format version, {@value #FORMAT_VERSION}
 * varint  n, the tenant's length in UTF-8 bytes (protobuf base-128 varint)
 * n bytes the tenant, UTF-8
 * rest    the spans as an OTLP {@code TracesData} protobuf message (grouped by resource and scope)
 * </pre>
 *
 * <p>A reader refuses a version it does not know with a {@link CodecException}, so a newer format
 * is never misread. The payload being standard OTLP means a log segment can be inspected with any
 * protobuf tool. Both directions go straight between the model and the bytes (no generated message
 * tree); encoding sizes the message once and writes it into exactly one array.
 */
public final class SpanBatchCodec {
  /** The format this build writes and reads. */
  public static final int FORMAT_VERSION = 1;

  public static byte[] encode(String tenant, List<Span> spans) {
    if (tenant == null) throw new IllegalArgumentException("tenant must not be null");
    if (spans == null) throw new IllegalArgumentException("spans must not be null");
    OtlpProtoWriter body = new OtlpProtoWriter(spans);
    byte[] tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
    int bodySize = body.serializedSize();
    int size = 1 + CodedOutputStream.computeUInt32SizeNoTag(tenantBytes.length)
        + tenantBytes.length + bodySize;
    byte[] out = new byte[size];
    CodedOutputStream stream = CodedOutputStream.newInstance(out);
    try {
      stream.write((byte) FORMAT_VERSION);
      stream.writeUInt32NoTag(tenantBytes.length);
      stream.writeRawBytes(tenantBytes);
      body.writeTo(stream);
      stream.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("span batch did not fit its computed size", e);
    }
    return out;
  }

  /**
   * The record for spans that arrived as the OTLP protobuf message {@code
   * bytes[offset..offset+length)} (an {@code ExportTraceServiceRequest} or a {@code TracesData}:
   * the two have the same fields) and decoded without a rejected span: the received bytes are
   * kept as they are behind the header instead of being encoded again, which costs a copy instead
   * of two passes over every span. {@link #decode} gives back the spans the receiver decoded.
   */
  public static byte[] wrapTracesData(String tenant, byte[] bytes, int offset, int length) {
    if (tenant == null) throw new IllegalArgumentException("tenant must not be null");
    if (bytes == null) throw new IllegalArgumentException("bytes must not be null");
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length
          + ") is outside an array of " + bytes.length + " bytes");
    }
    byte[] tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
    int header = 1 + CodedOutputStream.computeUInt32SizeNoTag(tenantBytes.length)
        + tenantBytes.length;
    byte[] out = new byte[header + length];
    CodedOutputStream stream = CodedOutputStream.newInstance(out, 0, header);
    try {
      stream.write((byte) FORMAT_VERSION);
      stream.writeUInt32NoTag(tenantBytes.length);
      stream.writeRawBytes(tenantBytes);
      stream.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("span batch header did not fit its computed size", e);
    }
    System.arraycopy(bytes, offset, out, header, length);
    return out;
  }

  public static byte[] encode(SpanBatch batch) {
    return encode(batch.tenant(), batch.spans());
  }

  /**
   * @throws CodecException when the bytes are not a span batch of a version this build reads, are
   *     truncated, or hold a span the model cannot take
   */
  public static SpanBatch decode(byte[] bytes) {
    if (bytes.length == 0) throw new CodecException("span batch: empty");
    int version = bytes[0] & 0xff;
    if (version != FORMAT_VERSION) {
      throw new CodecException("span batch: format version " + version
          + " is not supported (this build reads version " + FORMAT_VERSION + ")");
    }
    int tenantLength;
    int tenantOffset;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes, 1, bytes.length - 1);
      tenantLength = in.readRawVarint32();
      tenantOffset = 1 + in.getTotalBytesRead();
    } catch (IOException e) {
      throw new CodecException("span batch: tenant length is truncated", e);
    }
    if (tenantLength < 0 || tenantLength > bytes.length - tenantOffset) {
      throw new CodecException("span batch: tenant length " + tenantLength + " exceeds the "
          + (bytes.length - tenantOffset) + " bytes left");
    }
    String tenant = new String(bytes, tenantOffset, tenantLength, StandardCharsets.UTF_8);
    int bodyOffset = tenantOffset + tenantLength;
    DecodeResult result;
    try {
      result = OtlpTraceDecoder.decode(bytes, bodyOffset, bytes.length - bodyOffset);
    } catch (CodecException e) {
      throw new CodecException("span batch: spans: " + e.getMessage(), e);
    }
    if (result.hasRejections()) {
      throw new CodecException("span batch: " + result.errorMessage());
    }
    return SpanBatch.of(tenant, result.spans());
  }

  private SpanBatchCodec() {}
}
