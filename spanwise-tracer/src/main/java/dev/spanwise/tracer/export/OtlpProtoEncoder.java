package dev.spanwise.tracer.export;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Event;
import dev.spanwise.tracer.InstrumentationScope;
import dev.spanwise.tracer.Link;
import dev.spanwise.tracer.Resource;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.internal.RecordingSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written protobuf encoding of an OTLP {@code ExportTraceServiceRequest}. Two passes: the
 * first computes every nested message's length (kept in pre-order in an int array), the second
 * writes into one exactly sized byte array. Spans are grouped by resource, then by scope. Not
 * thread-safe; reuse one instance per thread.
 */
public final class OtlpProtoEncoder {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LEN = 2;
  private static final int WIRE_FIXED32 = 5;

  private int[] sizes = new int[256];
  private int sizeCount;
  private int cursor;
  private byte[] out;
  private int pos;

  /** Encodes {@code spans} as an {@code ExportTraceServiceRequest}. */
  public byte[] encode(Collection<? extends SpanData> spans) {
    Map<Resource, Map<InstrumentationScope, List<SpanData>>> groups = group(spans);
    sizeCount = 0;
    int total = 0;
    for (Map.Entry<Resource, Map<InstrumentationScope, List<SpanData>>> e : groups.entrySet()) {
      total += lenField(1, sizeResourceSpans(e.getKey(), e.getValue()));
    }
    out = new byte[total];
    pos = 0;
    cursor = 0;
    for (Map.Entry<Resource, Map<InstrumentationScope, List<SpanData>>> e : groups.entrySet()) {
      writeResourceSpans(e.getKey(), e.getValue());
    }
    byte[] result = out;
    out = null;
    if (pos != total) {
      throw new IllegalStateException("OTLP encoding size mismatch: " + pos + " != " + total);
    }
    return result;
  }

  private static Map<Resource, Map<InstrumentationScope, List<SpanData>>> group(
      Collection<? extends SpanData> spans) {
    Map<Resource, Map<InstrumentationScope, List<SpanData>>> groups = new LinkedHashMap<>();
    Resource lastResource = null;
    InstrumentationScope lastScope = null;
    List<SpanData> lastList = null;
    for (SpanData span : spans) {
      Resource r = span.resource();
      InstrumentationScope s = span.instrumentationScope();
      if (r != lastResource || s != lastScope) {
        lastList = groups.computeIfAbsent(r, k -> new LinkedHashMap<>())
            .computeIfAbsent(s, k -> new ArrayList<>());
        lastResource = r;
        lastScope = s;
      }
      lastList.add(span);
    }
    return groups;
  }

  // ---------------------------------------------------------------- size pass

  private int reserve() {
    if (sizeCount == sizes.length) {
      sizes = Arrays.copyOf(sizes, sizeCount * 2);
    }
    return sizeCount++;
  }

  private int sizeResourceSpans(Resource resource, Map<InstrumentationScope, List<SpanData>> scopes) {
    int slot = reserve();
    int size = lenField(1, sizeResource(resource));
    for (Map.Entry<InstrumentationScope, List<SpanData>> e : scopes.entrySet()) {
      size += lenField(2, sizeScopeSpans(e.getKey(), e.getValue()));
    }
    sizes[slot] = size;
    return size;
  }

  private int sizeResource(Resource resource) {
    int slot = reserve();
    int size = sizeAttributes(1, resource.attributes());
    sizes[slot] = size;
    return size;
  }

  private int sizeScopeSpans(InstrumentationScope scope, List<SpanData> spans) {
    int slot = reserve();
    int size = lenField(1, sizeScope(scope));
    for (SpanData span : spans) {
      size += lenField(2, sizeSpan(span));
    }
    sizes[slot] = size;
    return size;
  }

  private int sizeScope(InstrumentationScope scope) {
    int slot = reserve();
    int size = stringField(1, scope.name());
    if (scope.version() != null) {
      size += stringField(2, scope.version());
    }
    sizes[slot] = size;
    return size;
  }

  private int sizeSpan(SpanData span) {
    int slot = reserve();
    SpanContext sc = span.spanContext();
    int size = 2 + 16 + 2 + 8;
    String traceState = sc.traceState().isEmpty() ? null : sc.traceState().toHeader();
    if (traceState != null) {
      size += stringField(3, traceState);
    }
    if (span.parentSpanId() != 0L) {
      size += 2 + 8;
    }
    size += stringField(5, span.name());
    size += 2; // kind
    size += 2 * 9; // start, end
    if (span instanceof RecordingSpan) {
      RecordingSpan rs = (RecordingSpan) span;
      for (int i = 0; i < rs.attributeCount(); i++) {
        size += lenField(9, sizeKeyValue(rs.attributeKey(i), rs.attributeValue(i)));
      }
      for (int i = 0; i < rs.eventCount(); i++) {
        size += lenField(11, sizeEvent(rs.event(i)));
      }
      for (int i = 0; i < rs.linkCount(); i++) {
        size += lenField(13, sizeLink(rs.link(i)));
      }
    } else {
      size += sizeAttributes(9, span.attributes());
      for (Event event : span.events()) {
        size += lenField(11, sizeEvent(event));
      }
      for (Link link : span.links()) {
        size += lenField(13, sizeLink(link));
      }
    }
    size += uint32Field(span.droppedAttributesCount());
    size += uint32Field(span.droppedEventsCount());
    size += uint32Field(span.droppedLinksCount());
    if (span.statusCode() != StatusCode.UNSET) {
      size += lenField(15, sizeStatus(span));
    }
    size += 2 + 4; // flags: tag 16 takes two bytes
    sizes[slot] = size;
    return size;
  }

  private int sizeStatus(SpanData span) {
    int slot = reserve();
    int size = 0;
    String message = span.statusDescription();
    if (message != null && !message.isEmpty()) {
      size += stringField(2, message);
    }
    size += 2;
    sizes[slot] = size;
    return size;
  }

  private int sizeEvent(Event event) {
    int slot = reserve();
    int size = 9 + stringField(2, event.name()) + sizeAttributes(3, event.attributes())
        + uint32Field(event.droppedAttributesCount());
    sizes[slot] = size;
    return size;
  }

  private int sizeLink(Link link) {
    int slot = reserve();
    SpanContext sc = link.spanContext();
    int size = 2 + 16 + 2 + 8;
    if (!sc.traceState().isEmpty()) {
      size += stringField(3, sc.traceState().toHeader());
    }
    size += sizeAttributes(4, link.attributes());
    size += uint32Field(link.droppedAttributesCount());
    size += 1 + 4;
    sizes[slot] = size;
    return size;
  }

  private int sizeAttributes(int field, Attributes attributes) {
    int size = 0;
    for (int i = 0; i < attributes.size(); i++) {
      size += lenField(field, sizeKeyValue(attributes.key(i), attributes.value(i)));
    }
    return size;
  }

  private int sizeKeyValue(String key, Object value) {
    int slot = reserve();
    int size = stringField(1, key) + lenField(2, sizeAnyValue(value));
    sizes[slot] = size;
    return size;
  }

  private int sizeAnyValue(Object value) {
    int slot = reserve();
    int size;
    if (value instanceof String) {
      size = stringField(1, (String) value);
    } else if (value instanceof Boolean) {
      size = 2;
    } else if (value instanceof Long) {
      size = 1 + varintSize((Long) value);
    } else if (value instanceof Double) {
      size = 9;
    } else if (value instanceof List) {
      size = lenField(5, sizeArrayValue((List<?>) value));
    } else {
      size = stringField(1, String.valueOf(value));
    }
    sizes[slot] = size;
    return size;
  }

  private int sizeArrayValue(List<?> values) {
    int slot = reserve();
    int size = 0;
    for (Object v : values) {
      size += lenField(1, sizeAnyValue(v));
    }
    sizes[slot] = size;
    return size;
  }

  private static int lenField(int field, int length) {
    return tagSize(field) + varintSize(length) + length;
  }

  private static int stringField(int field, String s) {
    return lenField(field, utf8Length(s));
  }

  private static int uint32Field(int value) {
    return value == 0 ? 0 : 1 + varintSize(value);
  }

  private static int tagSize(int field) {
    return field < 16 ? 1 : 2;
  }

  static int varintSize(long v) {
    if ((v & (~0L << 7)) == 0) {
      return 1;
    }
    if (v < 0) {
      return 10;
    }
    int n = 1;
    while ((v & (~0L << 7)) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  static int utf8Length(String s) {
    int length = s.length();
    int bytes = length;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < length
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // 4 bytes for 2 chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  // ---------------------------------------------------------------- write pass

  private int nextSize() {
    return sizes[cursor++];
  }

  private void writeResourceSpans(Resource resource, Map<InstrumentationScope, List<SpanData>> scopes) {
    writeLenTag(1, nextSize());
    writeLenTag(1, nextSize());
    writeAttributes(1, resource.attributes());
    for (Map.Entry<InstrumentationScope, List<SpanData>> e : scopes.entrySet()) {
      writeLenTag(2, nextSize());
      InstrumentationScope scope = e.getKey();
      writeLenTag(1, nextSize());
      writeString(1, scope.name());
      if (scope.version() != null) {
        writeString(2, scope.version());
      }
      for (SpanData span : e.getValue()) {
        writeLenTag(2, nextSize());
        writeSpan(span);
      }
    }
  }

  private void writeSpan(SpanData span) {
    SpanContext sc = span.spanContext();
    writeTag(1, WIRE_LEN);
    out[pos++] = 16;
    writeLongBigEndian(sc.traceIdHigh());
    writeLongBigEndian(sc.traceIdLow());
    writeTag(2, WIRE_LEN);
    out[pos++] = 8;
    writeLongBigEndian(sc.spanId());
    if (!sc.traceState().isEmpty()) {
      writeString(3, sc.traceState().toHeader());
    }
    if (span.parentSpanId() != 0L) {
      writeTag(4, WIRE_LEN);
      out[pos++] = 8;
      writeLongBigEndian(span.parentSpanId());
    }
    writeString(5, span.name());
    writeTag(6, WIRE_VARINT);
    out[pos++] = (byte) (span.kind().ordinal() + 1);
    writeTag(7, WIRE_FIXED64);
    writeLongLittleEndian(span.startEpochNanos());
    writeTag(8, WIRE_FIXED64);
    writeLongLittleEndian(span.endEpochNanos());
    if (span instanceof RecordingSpan) {
      RecordingSpan rs = (RecordingSpan) span;
      for (int i = 0; i < rs.attributeCount(); i++) {
        writeKeyValue(9, rs.attributeKey(i), rs.attributeValue(i));
      }
      writeUint32(10, span.droppedAttributesCount());
      for (int i = 0; i < rs.eventCount(); i++) {
        writeEvent(rs.event(i));
      }
      writeUint32(12, span.droppedEventsCount());
      for (int i = 0; i < rs.linkCount(); i++) {
        writeLink(rs.link(i));
      }
    } else {
      writeAttributes(9, span.attributes());
      writeUint32(10, span.droppedAttributesCount());
      for (Event event : span.events()) {
        writeEvent(event);
      }
      writeUint32(12, span.droppedEventsCount());
      for (Link link : span.links()) {
        writeLink(link);
      }
    }
    writeUint32(14, span.droppedLinksCount());
    if (span.statusCode() != StatusCode.UNSET) {
      writeLenTag(15, nextSize());
      String message = span.statusDescription();
      if (message != null && !message.isEmpty()) {
        writeString(2, message);
      }
      writeTag(3, WIRE_VARINT);
      out[pos++] = (byte) (span.statusCode() == StatusCode.OK ? 1 : 2);
    }
    writeTag(16, WIRE_FIXED32);
    int flags = (sc.traceFlags() & 0xff) | 0x100 | (span.hasRemoteParent() ? 0x200 : 0);
    writeIntLittleEndian(flags);
  }

  private void writeEvent(Event event) {
    writeLenTag(11, nextSize());
    writeTag(1, WIRE_FIXED64);
    writeLongLittleEndian(event.epochNanos());
    writeString(2, event.name());
    writeAttributes(3, event.attributes());
    writeUint32(4, event.droppedAttributesCount());
  }

  private void writeLink(Link link) {
    writeLenTag(13, nextSize());
    SpanContext sc = link.spanContext();
    writeTag(1, WIRE_LEN);
    out[pos++] = 16;
    writeLongBigEndian(sc.traceIdHigh());
    writeLongBigEndian(sc.traceIdLow());
    writeTag(2, WIRE_LEN);
    out[pos++] = 8;
    writeLongBigEndian(sc.spanId());
    if (!sc.traceState().isEmpty()) {
      writeString(3, sc.traceState().toHeader());
    }
    writeAttributes(4, link.attributes());
    writeUint32(5, link.droppedAttributesCount());
    writeTag(6, WIRE_FIXED32);
    writeIntLittleEndian((sc.traceFlags() & 0xff) | 0x100 | (sc.isRemote() ? 0x200 : 0));
  }

  private void writeAttributes(int field, Attributes attributes) {
    for (int i = 0; i < attributes.size(); i++) {
      writeKeyValue(field, attributes.key(i), attributes.value(i));
    }
  }

  private void writeKeyValue(int field, String key, Object value) {
    writeLenTag(field, nextSize());
    writeString(1, key);
    writeAnyValue(2, value);
  }

  private void writeAnyValue(int field, Object value) {
    writeLenTag(field, nextSize());
    if (value instanceof String) {
      writeString(1, (String) value);
    } else if (value instanceof Boolean) {
      writeTag(2, WIRE_VARINT);
      out[pos++] = (byte) (((Boolean) value) ? 1 : 0);
    } else if (value instanceof Long) {
      writeTag(3, WIRE_VARINT);
      writeVarint((Long) value);
    } else if (value instanceof Double) {
      writeTag(4, WIRE_FIXED64);
      writeLongLittleEndian(Double.doubleToRawLongBits((Double) value));
    } else if (value instanceof List) {
      writeLenTag(5, nextSize());
      for (Object v : (List<?>) value) {
        writeAnyValue(1, v);
      }
    } else {
      writeString(1, String.valueOf(value));
    }
  }

  private void writeUint32(int field, int value) {
    if (value != 0) {
      writeTag(field, WIRE_VARINT);
      writeVarint(value);
    }
  }

  private void writeLenTag(int field, int length) {
    writeTag(field, WIRE_LEN);
    writeVarint(length);
  }

  private void writeTag(int field, int wireType) {
    writeVarint((field << 3) | wireType);
  }

  private void writeVarint(long v) {
    while ((v & ~0x7FL) != 0) {
      out[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
  }

  private void writeString(int field, String s) {
    int length = utf8Length(s);
    writeLenTag(field, length);
    if (length == s.length()) {
      for (int i = 0; i < length; i++) {
        out[pos++] = (byte) s.charAt(i);
      }
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[pos++] = (byte) c;
      } else if (c < 0x800) {
        out[pos++] = (byte) (0xC0 | (c >> 6));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[pos++] = (byte) (0xF0 | (cp >> 18));
        out[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // lone surrogate: '?' would change the length; encode as U+FFFD needs 3 bytes, as counted
        out[pos++] = (byte) 0xEF;
        out[pos++] = (byte) 0xBF;
        out[pos++] = (byte) 0xBD;
      } else {
        out[pos++] = (byte) (0xE0 | (c >> 12));
        out[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  private void writeLongBigEndian(long v) {
    for (int i = 56; i >= 0; i -= 8) {
      out[pos++] = (byte) (v >>> i);
    }
  }

  private void writeLongLittleEndian(long v) {
    for (int i = 0; i < 64; i += 8) {
      out[pos++] = (byte) (v >>> i);
    }
  }

  private void writeIntLittleEndian(int v) {
    out[pos++] = (byte) v;
    out[pos++] = (byte) (v >>> 8);
    out[pos++] = (byte) (v >>> 16);
    out[pos++] = (byte) (v >>> 24);
  }
}
