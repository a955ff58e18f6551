package dev.spanwise.codec.zipkin;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.spanwise.codec.CodecException;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Zipkin's protobuf encoding ({@code application/x-protobuf} on {@code POST
 * /api/v2/spans}: the message {@code zipkin.proto3.ListOfSpans}) into model spans, with the same
 * mapping and the same errors as {@link ZipkinJsonDecoder}. Read field by field with protobuf's
 * {@link CodedInputStream}; no generated classes are involved.
 *
 * <p>Field numbers, from zipkin-api's {@code zipkin.proto}: ListOfSpans {spans=1}; Span
 * {trace_id=1 bytes, parent_id=2 bytes, id=3 bytes, kind=4 enum, name=5, timestamp=6 fixed64,
 * duration=7 uint64, local_endpoint=8, remote_endpoint=9, annotations=10, tags=11 map, debug=12,
 * shared=13}; Endpoint {service_name=1, ipv4=2 bytes, ipv6=3 bytes, port=4}; Annotation
 * {timestamp=1 fixed64, value=2}.
 */
public final class ZipkinProto3Decoder {

  public static List<Span> decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  public static List<Span> decode(byte[] bytes, int offset, int length) {
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
    List<Span> spans = new ArrayList<>();
    ZipkinMapping mapping = new ZipkinMapping();
    int index = 0;
    String where = "body";
    try {
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) != 1) {
          throw new CodecException("body: not a zipkin.proto3.ListOfSpans (unexpected field "
              + WireFormat.getTagFieldNumber(tag) + ")");
        }
        where = "spans[" + index + "]";
        checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, where);
        int limit = in.pushLimit(in.readRawVarint32());
        ZipkinSpanData span = readSpan(in, where);
        in.popLimit(limit);
        spans.add(mapping.toModel(span, index));
        index++;
        where = "body";
      }
    } catch (InvalidProtocolBufferException e) {
      throw new CodecException(where + ": not valid protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CodecException(where + ": could not be read: " + e.getMessage(), e);
    }
    return spans;
  }

  private static ZipkinSpanData readSpan(CodedInputStream in, String path) throws IOException {
    ZipkinSpanData z = new ZipkinSpanData();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1: {
          checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".traceId");
          byte[] id = in.readByteArray();
          if (id.length != 8 && id.length != 16) {
            throw new CodecException(path + ".traceId: must be 8 or 16 bytes, was " + id.length);
          }
          z.traceId = id.length == 8
              ? TraceId.of(0, readLong(id, 0))
              : TraceId.of(readLong(id, 0), readLong(id, 8));
          break;
        }
        case 2:
          checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".parentId");
          z.parentId = spanId(in.readByteArray(), path + ".parentId", true);
          break;
        case 3:
          checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".id");
          z.id = spanId(in.readByteArray(), path + ".id", false);
          z.idPresent = true;
          break;
        case 4: {
          checkWireType(tag, WireFormat.WIRETYPE_VARINT, path + ".kind");
          int kind = in.readEnum();
          z.kind = kind >= 1 && kind <= 4
              ? new String[] {"CLIENT", "SERVER", "PRODUCER", "CONSUMER"}[kind - 1] : null;
          break;
        }
        case 5:
          checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".name");
          z.name = in.readStringRequireUtf8();
          break;
        case 6:
          checkWireType(tag, WireFormat.WIRETYPE_FIXED64, path + ".timestamp");
          z.timestamp = in.readFixed64();
          break;
        case 7:
          checkWireType(tag, WireFormat.WIRETYPE_VARINT, path + ".duration");
          z.duration = in.readUInt64();
          break;
        case 8:
          z.localEndpoint = readEndpoint(in, tag, path + ".localEndpoint");
          break;
        case 9:
          z.remoteEndpoint = readEndpoint(in, tag, path + ".remoteEndpoint");
          break;
        case 10:
          readAnnotation(in, tag, path + ".annotations[" + z.annotations.size() + "]", z);
          break;
        case 11:
          readTag(in, tag, path + ".tags", z);
          break;
        case 12:
          checkWireType(tag, WireFormat.WIRETYPE_VARINT, path + ".debug");
          z.debug = in.readBool();
          break;
        case 13:
          checkWireType(tag, WireFormat.WIRETYPE_VARINT, path + ".shared");
          z.shared = in.readBool();
          break;
        default:
          in.skipField(tag);
      }
    }
    return z;
  }

  private static ZipkinSpanData.Endpoint readEndpoint(CodedInputStream in, int tag, String path)
      throws IOException {
    checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
    int limit = in.pushLimit(in.readRawVarint32());
    ZipkinSpanData.Endpoint e = new ZipkinSpanData.Endpoint();
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1:
          checkWireType(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".serviceName");
          e.serviceName = in.readStringRequireUtf8();
          break;
        case 2: {
          checkWireType(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".ipv4");
          byte[] ip = in.readByteArray();
          if (ip.length != 0 && ip.length != 4) {
            throw new CodecException(path + ".ipv4: must be 4 bytes, was " + ip.length);
          }
          if (ip.length == 4) e.ipv4 = ipv4(ip);
          break;
        }
        case 3: {
          checkWireType(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".ipv6");
          byte[] ip = in.readByteArray();
          if (ip.length != 0 && ip.length != 16) {
            throw new CodecException(path + ".ipv6: must be 16 bytes, was " + ip.length);
          }
          if (ip.length == 16) e.ipv6 = ipv6(ip);
          break;
        }
        case 4: {
          checkWireType(t, WireFormat.WIRETYPE_VARINT, path + ".port");
          int port = in.readInt32();
          if (port < 0 || port > 65535) {
            throw new CodecException(path + ".port: must be 0 to 65535, was " + port);
          }
          e.port = port;
          break;
        }
        default:
          in.skipField(t);
      }
    }
    in.popLimit(limit);
    return e;
  }

  private static void readAnnotation(
      CodedInputStream in, int tag, String path, ZipkinSpanData z) throws IOException {
    checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
    int limit = in.pushLimit(in.readRawVarint32());
    long timestamp = 0;
    String value = null;
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1:
          checkWireType(t, WireFormat.WIRETYPE_FIXED64, path + ".timestamp");
          timestamp = in.readFixed64();
          break;
        case 2:
          checkWireType(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".value");
          value = in.readStringRequireUtf8();
          break;
        default:
          in.skipField(t);
      }
    }
    in.popLimit(limit);
    if (value == null) throw new CodecException(path + ".value: is required");
    if (timestamp < 0) throw new CodecException(path + ".timestamp: must not be negative");
    z.annotations.add(new ZipkinSpanData.Annotation(timestamp, value));
  }

  private static void readTag(CodedInputStream in, int tag, String path, ZipkinSpanData z)
      throws IOException {
    checkWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
    int limit = in.pushLimit(in.readRawVarint32());
    String key = "";
    String value = "";
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1:
          checkWireType(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + ".key");
          key = in.readStringRequireUtf8();
          break;
        case 2:
          checkWireType(t, WireFormat.WIRETYPE_LENGTH_DELIMITED, path + "." + key);
          value = in.readStringRequireUtf8();
          break;
        default:
          in.skipField(t);
      }
    }
    in.popLimit(limit);
    z.tags.put(key, value);
  }

  private static long spanId(byte[] id, String path, boolean optional) {
    if (optional && id.length == 0) return 0;
    if (id.length != 8) throw new CodecException(path + ": must be 8 bytes, was " + id.length);
    return readLong(id, 0);
  }

  private static void checkWireType(int tag, int expected, String path) {
    if (WireFormat.getTagWireType(tag) != expected) {
      throw new CodecException(path + ": wire type " + WireFormat.getTagWireType(tag)
          + " where " + expected + " was expected");
    }
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xffL);
    return v;
  }

  static String ipv4(byte[] ip) {
    return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
  }

  /** RFC 5952 text: lower-case hex, leading zeros dropped, the longest run of zero groups "::". */
  static String ipv6(byte[] ip) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) groups[i] = ((ip[2 * i] & 0xff) << 8) | (ip[2 * i + 1] & 0xff);
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) j++;
      if (j - i > bestLength && j - i > 1) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  private ZipkinProto3Decoder() {}
}
