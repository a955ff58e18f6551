package dev.spanwise.codec.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.spanwise.codec.internal.StringCache;
import java.io.IOException;

/**
 * Checks OTLP trace protobuf bytes the way {@link OtlpProtoReader} reads them, without building
 * a span: the same bytes are refused (malformed protobuf, invalid UTF-8, values nested too deep)
 * and the same spans are rejected (ids, times, links) with the same first problem. A receiver
 * that finds nothing rejected can log the bytes as they are without decoding them at all; the
 * indexer decodes them once, later.
 *
 * <p>Field numbers as in {@link OtlpProtoReader}. Every field the reader reads is read here with
 * the same method, not skipped: protobuf's readers and skippers accept slightly different
 * malformed varints, and a scan must refuse exactly what a decode refuses.
 */
final class OtlpProtoScanner {
  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
  private static final int MAX_VALUE_DEPTH = 64;

  private final byte[] bytes;
  private int accepted;
  private int rejected;
  private String firstError;

  private OtlpProtoScanner(byte[] bytes) {
    this.bytes = bytes;
  }

  /** What a scan found: spans that would decode, spans rejected and the first problem. */
  record Result(int acceptedSpans, int rejectedSpans, String firstError) {}

  /** @throws IOException when the bytes are not protobuf (InvalidProtocolBufferException) */
  static Result scan(byte[] bytes, int offset, int length) throws IOException {
    OtlpProtoScanner scanner = new OtlpProtoScanner(bytes);
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
    int index = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        int size = in.readRawVarint32();
        int start = offset + in.getTotalBytesRead();
        in.skipRawBytes(size);
        scanner.scanResourceSpans(start, size, index++);
      } else {
        in.skipField(tag);
      }
    }
    return new Result(scanner.accepted, scanner.rejected, scanner.firstError);
  }

  private CodedInputStream slice(int start, int size) {
    return CodedInputStream.newInstance(bytes, start, size);
  }

  private void string(CodedInputStream in, int base) throws IOException {
    int length = in.readRawVarint32();
    int position = base + in.getTotalBytesRead();
    in.skipRawBytes(length);
    StringCache.validate(bytes, position, length); // throws on invalid UTF-8
  }

  /** The resource first (its problems come before any span's), then each scope_spans. */
  private void scanResourceSpans(int start, int size, int index) throws IOException {
    CodedInputStream in = slice(start, size);
    int[] scopeSpans = new int[8];
    int scopeSpansCount = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        int limit = in.pushLimit(in.readRawVarint32());
        int t;
        while ((t = in.readTag()) != 0) {
          if (t == tag(1, LENGTH_DELIMITED)) {
            keyValue(in, start, 0);
          } else if (t == tag(2, VARINT)) {
            in.readUInt32();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
      } else if (tag == tag(2, LENGTH_DELIMITED)) {
        int length = in.readRawVarint32();
        if (scopeSpansCount * 2 == scopeSpans.length) {
          scopeSpans = java.util.Arrays.copyOf(scopeSpans, scopeSpans.length * 2);
        }
        scopeSpans[scopeSpansCount * 2] = start + in.getTotalBytesRead();
        scopeSpans[scopeSpansCount * 2 + 1] = length;
        scopeSpansCount++;
        in.skipRawBytes(length);
      } else {
        in.skipField(tag);
      }
    }
    for (int s = 0; s < scopeSpansCount; s++) {
      scanScopeSpans(scopeSpans[s * 2], scopeSpans[s * 2 + 1], index, s);
    }
  }

  private void scanScopeSpans(int start, int size, int r, int s) throws IOException {
    CodedInputStream in = slice(start, size);
    int[] spans = new int[32];
    int spanCount = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        int limit = in.pushLimit(in.readRawVarint32());
        int t;
        while ((t = in.readTag()) != 0) {
          if (t == tag(1, LENGTH_DELIMITED) || t == tag(2, LENGTH_DELIMITED)) {
            string(in, start);
          } else if (t == tag(3, LENGTH_DELIMITED)) {
            keyValue(in, start, 0);
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
      } else if (tag == tag(2, LENGTH_DELIMITED)) {
        int length = in.readRawVarint32();
        if (spanCount * 2 == spans.length) spans = java.util.Arrays.copyOf(spans, spans.length * 2);
        spans[spanCount * 2] = start + in.getTotalBytesRead();
        spans[spanCount * 2 + 1] = length;
        spanCount++;
        in.skipRawBytes(length);
      } else {
        in.skipField(tag);
      }
    }
    for (int i = 0; i < spanCount; i++) {
      scanSpan(spans[i * 2], spans[i * 2 + 1], r, s, i);
    }
  }

  private void scanSpan(int start, int size, int r, int s, int i) throws IOException {
    CodedInputStream in = slice(start, size);
    int traceIdLength = 0;
    boolean traceIdZero = true;
    int spanIdLength = 0;
    boolean spanIdZero = true;
    int parentLength = 0;
    long startNanos = 0;
    long endNanos = 0;
    String problem = null;
    int linkIndex = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | LENGTH_DELIMITED: {
          traceIdLength = in.readRawVarint32();
          int at = start + in.getTotalBytesRead();
          in.skipRawBytes(traceIdLength);
          traceIdZero = allZero(at, traceIdLength);
          break;
        }
        case (2 << 3) | LENGTH_DELIMITED: {
          spanIdLength = in.readRawVarint32();
          int at = start + in.getTotalBytesRead();
          in.skipRawBytes(spanIdLength);
          spanIdZero = allZero(at, spanIdLength);
          break;
        }
        case (3 << 3) | LENGTH_DELIMITED:
        case (5 << 3) | LENGTH_DELIMITED:
          string(in, start);
          break;
        case (4 << 3) | LENGTH_DELIMITED:
          parentLength = in.readRawVarint32();
          in.skipRawBytes(parentLength);
          break;
        case (6 << 3) | VARINT:
          in.readEnum();
          break;
        case (7 << 3) | FIXED64:
          startNanos = in.readFixed64();
          break;
        case (8 << 3) | FIXED64:
          endNanos = in.readFixed64();
          break;
        case (9 << 3) | LENGTH_DELIMITED:
          keyValue(in, start, 0);
          break;
        case (11 << 3) | LENGTH_DELIMITED:
          event(in, start);
          break;
        case (13 << 3) | LENGTH_DELIMITED: {
          String linkProblem = link(in, start, linkIndex++);
          if (problem == null && linkProblem != null) problem = linkProblem;
          break;
        }
        case (15 << 3) | LENGTH_DELIMITED: {
          int limit = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == tag(2, LENGTH_DELIMITED)) {
              string(in, start);
            } else if (t == tag(3, VARINT)) {
              in.readEnum();
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(limit);
          break;
        }
        case (10 << 3) | VARINT:
        case (12 << 3) | VARINT:
        case (14 << 3) | VARINT:
          in.readUInt32();
          break;
        case (16 << 3) | FIXED32:
          in.readFixed32();
          break;
        default:
          in.skipField(tag);
      }
    }
    String idProblem = validate(traceIdLength, traceIdZero, spanIdLength, spanIdZero,
        parentLength, startNanos, endNanos);
    if (idProblem != null) problem = idProblem;
    if (problem != null) {
      rejected++;
      if (firstError == null) {
        firstError =
            "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]." + problem;
      }
      return;
    }
    accepted++;
  }

  /** {@link OtlpProtoReader}'s checks, in its order, on what the scan saw. */
  private static String validate(int traceIdLength, boolean traceIdZero, int spanIdLength,
      boolean spanIdZero, int parentLength, long start, long end) {
    String problem = OtlpSpanRules.traceIdProblem("traceId", traceIdLength, traceIdZero);
    if (problem == null) problem = OtlpSpanRules.spanIdProblem(spanIdLength, spanIdZero);
    if (problem == null) problem = OtlpSpanRules.parentSpanIdProblem(parentLength);
    if (problem == null) problem = OtlpSpanRules.timesProblem(start, end);
    return problem;
  }

  /** Whether the id is all zero; a length other than the id's is refused before it matters. */
  private boolean allZero(int at, int length) {
    for (int i = at; i < at + length; i++) {
      if (bytes[i] != 0) return false;
    }
    return true;
  }

  private void event(CodedInputStream in, int base) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | FIXED64:
          in.readFixed64();
          break;
        case (2 << 3) | LENGTH_DELIMITED:
          string(in, base);
          break;
        case (3 << 3) | LENGTH_DELIMITED:
          keyValue(in, base, 0);
          break;
        case (4 << 3) | VARINT:
          in.readUInt32();
          break;
        default:
          in.skipField(tag);
      }
    }
    in.popLimit(limit);
  }

  /** The link's problem as "links[i].field: reason", or null. */
  private String link(CodedInputStream in, int base, int index) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    int traceIdLength = 0;
    boolean traceIdZero = true;
    int spanIdLength = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | LENGTH_DELIMITED: {
          traceIdLength = in.readRawVarint32();
          int at = base + in.getTotalBytesRead();
          in.skipRawBytes(traceIdLength);
          traceIdZero = allZero(at, traceIdLength);
          break;
        }
        case (2 << 3) | LENGTH_DELIMITED:
          spanIdLength = in.readRawVarint32();
          in.skipRawBytes(spanIdLength);
          break;
        case (3 << 3) | LENGTH_DELIMITED:
          string(in, base);
          break;
        case (4 << 3) | LENGTH_DELIMITED:
          keyValue(in, base, 0);
          break;
        case (5 << 3) | VARINT:
          in.readUInt32();
          break;
        case (6 << 3) | FIXED32:
          in.readFixed32();
          break;
        default:
          in.skipField(tag);
      }
    }
    in.popLimit(limit);
    String problem = OtlpSpanRules.linkTraceIdProblem(index, traceIdLength, traceIdZero);
    return problem != null ? problem : OtlpSpanRules.linkSpanIdProblem(index, spanIdLength);
  }

  private void keyValue(CodedInputStream in, int base, int depth) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        string(in, base);
      } else if (tag == tag(2, LENGTH_DELIMITED)) {
        anyValue(in, base, depth + 1);
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(limit);
  }

  private void anyValue(CodedInputStream in, int base, int depth) throws IOException {
    if (depth > MAX_VALUE_DEPTH) {
      throw new InvalidProtocolBufferException(
          "attribute values nested more than " + MAX_VALUE_DEPTH + " deep");
    }
    int limit = in.pushLimit(in.readRawVarint32());
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | LENGTH_DELIMITED:
          string(in, base);
          break;
        case (5 << 3) | LENGTH_DELIMITED: {
          int inner = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == tag(1, LENGTH_DELIMITED)) {
              anyValue(in, base, depth + 1);
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(inner);
          break;
        }
        case (6 << 3) | LENGTH_DELIMITED: {
          int inner = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == tag(1, LENGTH_DELIMITED)) {
              keyValue(in, base, depth);
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(inner);
          break;
        }
        case (2 << 3) | VARINT:
          in.readBool();
          break;
        case (3 << 3) | VARINT:
          in.readInt64();
          break;
        case (4 << 3) | FIXED64:
          in.readDouble();
          break;
        case (7 << 3) | LENGTH_DELIMITED:
          in.skipRawBytes(in.readRawVarint32());
          break;
        default:
          in.skipField(tag);
      }
    }
    in.popLimit(limit);
  }

  private static int tag(int fieldNumber, int wireType) {
    return (fieldNumber << 3) | wireType;
  }
}
