package dev.spanwise.codec.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.internal.StringCache;
import dev.spanwise.model.AttributeType;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.StatusCode;
import dev.spanwise.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads OTLP trace protobuf bytes straight into model spans, without building the generated
 * message tree first: the hot path of every OTLP request and every write-ahead-log replay. It
 * follows the generated parser's rules (a known field with an unexpected wire type is skipped as
 * unknown; a message field seen twice merges; the last member of a oneof wins; strings must be
 * UTF-8) and {@link OtlpTraceDecoder}'s validation, and is tested to give the same result as the
 * generated classes on the same bytes.
 *
 * <p>Field numbers (opentelemetry-proto trace/v1, common/v1, resource/v1): TracesData
 * {resource_spans=1}; ResourceSpans {resource=1, scope_spans=2, schema_url=3}; Resource
 * {attributes=1, dropped_attributes_count=2}; ScopeSpans {scope=1, spans=2, schema_url=3};
 * InstrumentationScope {name=1, version=2, attributes=3, dropped_attributes_count=4}; Span
 * {trace_id=1, span_id=2, trace_state=3, parent_span_id=4, name=5, kind=6, start=7 fixed64,
 * end=8 fixed64, attributes=9, dropped_attributes_count=10, events=11, dropped_events_count=12,
 * links=13, dropped_links_count=14, status=15, flags=16 fixed32}; Event {time=1 fixed64, name=2,
 * attributes=3, dropped_attributes_count=4}; Link {trace_id=1, span_id=2, trace_state=3,
 * attributes=4, dropped_attributes_count=5, flags=6 fixed32}; Status {message=2, code=3};
 * KeyValue {key=1, value=2}; AnyValue {string=1, bool=2, int=3, double=4, array=5, kvlist=6,
 * bytes=7}; ArrayValue and KeyValueList {values=1}.
 */
final class OtlpProtoReader {
  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
  /** Like the generated parser's recursion limit: a bound on nested arrays and maps. */
  private static final int MAX_VALUE_DEPTH = 64;

  private final byte[] bytes;
  private final StringCache strings = StringCache.SHARED;
  private final List<Span> accepted = new ArrayList<>();
  private int rejected;
  private String firstError;

  private OtlpProtoReader(byte[] bytes) {
    this.bytes = bytes;
  }

  /** @throws IOException when the bytes are not protobuf (InvalidProtocolBufferException) */
  static DecodeResult read(byte[] bytes, int offset, int length) throws IOException {
    OtlpProtoReader reader = new OtlpProtoReader(bytes);
    CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
    int index = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        int size = in.readRawVarint32();
        int start = offset + in.getTotalBytesRead();
        in.skipRawBytes(size);
        reader.readResourceSpans(start, size, index++);
      } else {
        in.skipField(tag);
      }
    }
    return DecodeResult.of(reader.accepted, reader.rejected, reader.firstError);
  }

  private CodedInputStream slice(int start, int size) {
    return CodedInputStream.newInstance(bytes, start, size);
  }

  /**
   * Reads a length-delimited string of the stream {@code in}, which reads {@link #bytes} from
   * {@code base}: through the shared {@link StringCache}, so that repeated keys and names decode
   * to one instance. Invalid UTF-8 throws, as {@code readStringRequireUtf8} does.
   */
  private String readString(CodedInputStream in, int base) throws IOException {
    int length = in.readRawVarint32();
    int position = base + in.getTotalBytesRead();
    in.skipRawBytes(length); // checks the length against what is left
    return strings.decode(bytes, position, length);
  }

  /** A string value: decoded without the cache (values repeat far less than keys). */
  private String readValueString(CodedInputStream in, int base) throws IOException {
    int length = in.readRawVarint32();
    int position = base + in.getTotalBytesRead();
    in.skipRawBytes(length);
    return StringCache.decodeUncached(bytes, position, length);
  }

  /** Reads the resource first wherever it is, then each scope_spans with it. */
  private void readResourceSpans(int start, int size, int index) throws IOException {
    CodedInputStream in = slice(start, size);
    Attributes.Builder resourceAttributes = null;
    int resourceDropped = 0;
    int[] scopeSpans = new int[8];
    int scopeSpansCount = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        int limit = in.pushLimit(in.readRawVarint32());
        if (resourceAttributes == null) resourceAttributes = Attributes.builder();
        int t;
        while ((t = in.readTag()) != 0) {
          if (t == tag(1, LENGTH_DELIMITED)) {
            readKeyValue(in, start, resourceAttributes);
          } else if (t == tag(2, VARINT)) {
            resourceDropped = in.readUInt32();
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
      } else if (tag == tag(2, LENGTH_DELIMITED)) {
        int length = in.readRawVarint32();
        if (scopeSpansCount * 2 == scopeSpans.length) {
          scopeSpans = Arrays.copyOf(scopeSpans, scopeSpans.length * 2);
        }
        scopeSpans[scopeSpansCount * 2] = start + in.getTotalBytesRead();
        scopeSpans[scopeSpansCount * 2 + 1] = length;
        scopeSpansCount++;
        in.skipRawBytes(length);
      } else {
        in.skipField(tag);
      }
    }
    Resource resource = resourceAttributes == null
        ? Resource.EMPTY
        : Resource.of(resourceAttributes.build(), resourceDropped);
    for (int s = 0; s < scopeSpansCount; s++) {
      readScopeSpans(scopeSpans[s * 2], scopeSpans[s * 2 + 1], resource, index, s);
    }
  }

  private void readScopeSpans(int start, int size, Resource resource, int r, int s)
      throws IOException {
    CodedInputStream in = slice(start, size);
    String name = "";
    String version = "";
    Attributes.Builder scopeAttributes = null;
    int[] spans = new int[32];
    int spanCount = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        int limit = in.pushLimit(in.readRawVarint32());
        if (scopeAttributes == null) scopeAttributes = Attributes.builder();
        int t;
        while ((t = in.readTag()) != 0) {
          if (t == tag(1, LENGTH_DELIMITED)) {
            name = readString(in, start);
          } else if (t == tag(2, LENGTH_DELIMITED)) {
            version = readString(in, start);
          } else if (t == tag(3, LENGTH_DELIMITED)) {
            readKeyValue(in, start, scopeAttributes);
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
      } else if (tag == tag(2, LENGTH_DELIMITED)) {
        int length = in.readRawVarint32();
        if (spanCount * 2 == spans.length) spans = Arrays.copyOf(spans, spans.length * 2);
        spans[spanCount * 2] = start + in.getTotalBytesRead();
        spans[spanCount * 2 + 1] = length;
        spanCount++;
        in.skipRawBytes(length);
      } else {
        in.skipField(tag);
      }
    }
    InstrumentationScope scope = scopeAttributes == null
        ? InstrumentationScope.EMPTY
        : InstrumentationScope.of(name, version, scopeAttributes.build());
    for (int i = 0; i < spanCount; i++) {
      readSpan(spans[i * 2], spans[i * 2 + 1], resource, scope, r, s, i);
    }
  }

  private void readSpan(int start, int size, Resource resource, InstrumentationScope scope,
      int r, int s, int i) throws IOException {
    CodedInputStream in = slice(start, size);
    Span.Builder b = Span.builder().resource(resource).scope(scope);
    int traceIdLength = 0;
    long traceHigh = 0;
    long traceLow = 0;
    int spanIdLength = 0;
    long spanId = 0;
    int parentLength = 0;
    long parentId = 0;
    long startNanos = 0;
    long endNanos = 0;
    Attributes.Builder attributes = null;
    StatusCode statusCode = StatusCode.UNSET;
    String statusMessage = "";
    String problem = null;
    int linkIndex = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | LENGTH_DELIMITED: {
          traceIdLength = in.readRawVarint32();
          if (traceIdLength == 16) {
            traceHigh = readBigEndianLong(in);
            traceLow = readBigEndianLong(in);
          } else {
            in.skipRawBytes(traceIdLength);
          }
          break;
        }
        case (2 << 3) | LENGTH_DELIMITED:
          spanIdLength = in.readRawVarint32();
          if (spanIdLength == 8) spanId = readBigEndianLong(in);
          else in.skipRawBytes(spanIdLength);
          break;
        case (3 << 3) | LENGTH_DELIMITED:
          b.traceState(readValueString(in, start));
          break;
        case (4 << 3) | LENGTH_DELIMITED:
          parentLength = in.readRawVarint32();
          if (parentLength == 8) parentId = readBigEndianLong(in);
          else in.skipRawBytes(parentLength);
          break;
        case (5 << 3) | LENGTH_DELIMITED:
          b.name(readString(in, start));
          break;
        case (6 << 3) | VARINT:
          b.kind(SpanKind.fromOtlpNumber(in.readEnum()));
          break;
        case (7 << 3) | FIXED64:
          startNanos = in.readFixed64();
          break;
        case (8 << 3) | FIXED64:
          endNanos = in.readFixed64();
          break;
        case (9 << 3) | LENGTH_DELIMITED:
          if (attributes == null) attributes = Attributes.builder();
          readKeyValue(in, start, attributes);
          break;
        case (10 << 3) | VARINT:
          b.droppedAttributesCount(in.readUInt32());
          break;
        case (11 << 3) | LENGTH_DELIMITED:
          b.addEvent(readEvent(in, start));
          break;
        case (12 << 3) | VARINT:
          b.droppedEventsCount(in.readUInt32());
          break;
        case (13 << 3) | LENGTH_DELIMITED: {
          String linkProblem = readLink(in, start, b, linkIndex++);
          if (problem == null && linkProblem != null) problem = linkProblem;
          break;
        }
        case (14 << 3) | VARINT:
          b.droppedLinksCount(in.readUInt32());
          break;
        case (15 << 3) | LENGTH_DELIMITED: {
          int limit = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == tag(2, LENGTH_DELIMITED)) {
              statusMessage = readValueString(in, start);
            } else if (t == tag(3, VARINT)) {
              statusCode = StatusCode.fromOtlpNumber(in.readEnum());
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(limit);
          break;
        }
        case (16 << 3) | FIXED32:
          b.flags(in.readFixed32());
          break;
        default:
          in.skipField(tag);
      }
    }

    String idProblem = validate(traceIdLength, traceHigh, traceLow, spanIdLength, spanId,
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
    b.traceId(TraceId.of(traceHigh, traceLow))
        .spanId(spanId)
        .parentSpanId(parentLength == 8 ? parentId : 0)
        .startEpochNanos(startNanos)
        .endEpochNanos(endNanos)
        .status(Status.of(statusCode, statusMessage));
    if (attributes != null) b.attributes(attributes.build());
    accepted.add(b.build());
  }

  /** The span rules of {@link OtlpSpanRules}, as {@link OtlpTraceDecoder} applies them. */
  private static String validate(int traceIdLength, long traceHigh, long traceLow,
      int spanIdLength, long spanId, int parentLength, long start, long end) {
    String problem =
        OtlpSpanRules.traceIdProblem("traceId", traceIdLength, traceHigh == 0 && traceLow == 0);
    if (problem == null) problem = OtlpSpanRules.spanIdProblem(spanIdLength, spanId == 0);
    if (problem == null) problem = OtlpSpanRules.parentSpanIdProblem(parentLength);
    if (problem == null) problem = OtlpSpanRules.timesProblem(start, end);
    return problem;
  }

  private SpanEvent readEvent(CodedInputStream in, int base) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    long time = 0;
    String name = "";
    Attributes.Builder attributes = null;
    int dropped = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | FIXED64:
          time = in.readFixed64();
          break;
        case (2 << 3) | LENGTH_DELIMITED:
          name = readString(in, base);
          break;
        case (3 << 3) | LENGTH_DELIMITED:
          if (attributes == null) attributes = Attributes.builder();
          readKeyValue(in, base, attributes);
          break;
        case (4 << 3) | VARINT:
          dropped = in.readUInt32();
          break;
        default:
          in.skipField(tag);
      }
    }
    in.popLimit(limit);
    return SpanEvent.of(time, name, attributes == null ? Attributes.EMPTY : attributes.build(),
        dropped);
  }

  /** Adds the link, or returns its problem as "links[i].field: reason". */
  private String readLink(CodedInputStream in, int base, Span.Builder span, int index)
      throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    int traceIdLength = 0;
    long high = 0;
    long low = 0;
    int spanIdLength = 0;
    long spanId = 0;
    String traceState = "";
    Attributes.Builder attributes = null;
    int dropped = 0;
    int flags = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | LENGTH_DELIMITED:
          traceIdLength = in.readRawVarint32();
          if (traceIdLength == 16) {
            high = readBigEndianLong(in);
            low = readBigEndianLong(in);
          } else {
            in.skipRawBytes(traceIdLength);
          }
          break;
        case (2 << 3) | LENGTH_DELIMITED:
          spanIdLength = in.readRawVarint32();
          if (spanIdLength == 8) spanId = readBigEndianLong(in);
          else in.skipRawBytes(spanIdLength);
          break;
        case (3 << 3) | LENGTH_DELIMITED:
          traceState = readValueString(in, base);
          break;
        case (4 << 3) | LENGTH_DELIMITED:
          if (attributes == null) attributes = Attributes.builder();
          readKeyValue(in, base, attributes);
          break;
        case (5 << 3) | VARINT:
          dropped = in.readUInt32();
          break;
        case (6 << 3) | FIXED32:
          flags = in.readFixed32();
          break;
        default:
          in.skipField(tag);
      }
    }
    in.popLimit(limit);
    String problem = OtlpSpanRules.linkTraceIdProblem(index, traceIdLength, high == 0 && low == 0);
    if (problem == null) problem = OtlpSpanRules.linkSpanIdProblem(index, spanIdLength);
    if (problem != null) return problem;
    span.addLink(SpanLink.of(TraceId.of(high, low), spanId, traceState,
        attributes == null ? Attributes.EMPTY : attributes.build(), dropped, flags));
    return null;
  }

  /** Reads one length-delimited KeyValue into {@code attributes}; an empty value is left out. */
  private void readKeyValue(CodedInputStream in, int base, Attributes.Builder attributes)
      throws IOException {
    readKeyValue(in, base, attributes, 0);
  }

  private void readKeyValue(CodedInputStream in, int base, Attributes.Builder attributes,
      int depth) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    String key = "";
    AttributeValue value = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == tag(1, LENGTH_DELIMITED)) {
        key = readString(in, base);
      } else if (tag == tag(2, LENGTH_DELIMITED)) {
        value = readAnyValue(in, base, value, depth + 1);
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(limit);
    if (value != null) attributes.put(key, value);
  }

  /**
   * Reads a length-delimited AnyValue. {@code previous} is the value of an earlier occurrence of
   * the same field, which protobuf merges into: the last oneof member wins, but a repeated array
   * or map member extends the earlier one.
   */
  private AttributeValue readAnyValue(
      CodedInputStream in, int base, AttributeValue previous, int depth) throws IOException {
    if (depth > MAX_VALUE_DEPTH) {
      throw new InvalidProtocolBufferException(
          "attribute values nested more than " + MAX_VALUE_DEPTH + " deep");
    }
    int limit = in.pushLimit(in.readRawVarint32());
    AttributeValue value = previous;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case (1 << 3) | LENGTH_DELIMITED:
          value = AttributeValue.of(readValueString(in, base));
          break;
        case (2 << 3) | VARINT:
          value = AttributeValue.of(in.readBool());
          break;
        case (3 << 3) | VARINT:
          value = AttributeValue.of(in.readInt64());
          break;
        case (4 << 3) | FIXED64:
          value = AttributeValue.of(in.readDouble());
          break;
        case (5 << 3) | LENGTH_DELIMITED: {
          List<AttributeValue> list = new ArrayList<>();
          if (value != null && value.type() == AttributeType.ARRAY) {
            list.addAll(value.arrayValue());
          }
          int inner = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == tag(1, LENGTH_DELIMITED)) {
              AttributeValue element = readAnyValue(in, base, null, depth + 1);
              if (element != null) list.add(element);
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(inner);
          value = AttributeValue.ofArray(list);
          break;
        }
        case (6 << 3) | LENGTH_DELIMITED: {
          Attributes.Builder map = value != null
              && value.type() == AttributeType.MAP
              ? value.mapValue().toBuilder() : Attributes.builder();
          int inner = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == tag(1, LENGTH_DELIMITED)) {
              readKeyValue(in, base, map, depth);
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(inner);
          value = AttributeValue.ofMap(map.build());
          break;
        }
        case (7 << 3) | LENGTH_DELIMITED:
          value = AttributeValue.ofBytes(in.readByteArray());
          break;
        default:
          in.skipField(tag);
          if (WireFormat.getTagFieldNumber(tag) == 8) value = null; // string_value_strindex
      }
    }
    in.popLimit(limit);
    return value;
  }

  private static int tag(int fieldNumber, int wireType) {
    return (fieldNumber << 3) | wireType;
  }

  private static long readBigEndianLong(CodedInputStream in) throws IOException {
    return Long.reverseBytes(in.readRawLittleEndian64());
  }
}
