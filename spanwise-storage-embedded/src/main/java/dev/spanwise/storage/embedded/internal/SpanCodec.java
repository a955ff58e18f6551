package dev.spanwise.storage.embedded.internal;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The compact binary form of a span kept in Lucene's stored fields. Start time and duration are
 * not in it (they live in doc values and are passed back to {@link #decode}); event times are
 * offsets from the start. Integers are varints, strings are length-prefixed UTF-8, and the layout
 * is byte aligned so that the block compression of Lucene's stored fields (LZ4) turns repeated
 * resources, keys and values into short back references.
 *
 * <p>Attribute keys, span, scope and event names are symbols: an id in the tenant's string table
 * ({@link Strings}) when it has one, else inline; they repeat on every span, and keeping them out
 * of the stored bytes halves what the compression has to do.
 *
 * <p>Layout (version 3): version, trace id (16), span id (8), parent span id (8), kind, status
 * code, status message, name, trace state, flags, dropped attributes/events/links, resource (a
 * reference into the tenant's resource table: the resource attributes of a service instance are
 * the same on every span, and storing them once halves what is compressed; or inline), scope name,
 * scope version, scope attributes, attributes, events, links.
 */
public final class SpanCodec {
  static final int VERSION = 3;
  private static final int RESOURCE_INLINE = 0;
  private static final int RESOURCE_REFERENCE = 1;

  private static final int T_STRING = 0;
  private static final int T_FALSE = 1;
  private static final int T_TRUE = 2;
  private static final int T_LONG = 3;
  private static final int T_DOUBLE = 4;
  private static final int T_BYTES = 5;
  private static final int T_ARRAY = 6;
  private static final int T_MAP = 7;

  private SpanCodec() {}

  /** The tenant's table of repeated strings: keys and names are stored as ids into it. */
  public interface Strings {
    /** The id of {@code s}, added if new; -1 when it is not to be interned (then inline). */
    int id(String s);

    /** The string of an id; null when unknown. */
    String string(int id);
  }

  /** Encodes {@code span} with its resource and strings inline, without its times. */
  public static byte[] encode(Span span) {
    return encode(span, 0, null);
  }

  /**
   * Encodes {@code span} without its start time and duration; its resource as {@code resourceId}
   * when not 0 (see {@link #resourceId}), else inline; keys and names through {@code strings}
   * when given.
   */
  public static byte[] encode(Span span, long resourceId, Strings strings) {
    Writer w = new Writer(384, strings);
    encodeInto(span, resourceId, w);
    return w.toBytes();
  }

  /**
   * Encodes {@code span} into {@code w} (from its start): a writer kept by one thread encodes
   * span after span into the same buffer, read through {@link Writer#bytes()}.
   */
  static void encodeInto(Span span, long resourceId, Writer w) {
    w.reset();
    w.varint(VERSION);
    w.fixed64(span.traceId().high());
    w.fixed64(span.traceId().low());
    w.fixed64(span.spanId());
    w.fixed64(span.parentSpanId());
    w.varint(span.kind().otlpNumber());
    w.varint(span.status().code().otlpNumber());
    w.string(span.status().message());
    w.symbol(span.name());
    w.string(span.traceState());
    w.varint(span.flags());
    w.varint(span.droppedAttributesCount());
    w.varint(span.droppedEventsCount());
    w.varint(span.droppedLinksCount());
    if (resourceId != 0) {
      w.varint(RESOURCE_REFERENCE);
      w.fixed64(resourceId);
    } else {
      w.varint(RESOURCE_INLINE);
      w.attributes(span.resource().attributes());
      w.varint(span.resource().droppedAttributesCount());
    }
    w.symbol(span.scope().name());
    w.symbol(span.scope().version());
    w.attributes(span.scope().attributes());
    w.attributes(span.attributes());
    w.varint(span.events().size());
    for (SpanEvent e : span.events()) {
      w.zigzag(e.epochNanos() - span.startEpochNanos());
      w.symbol(e.name());
      w.attributes(e.attributes());
      w.varint(e.droppedAttributesCount());
    }
    w.varint(span.links().size());
    for (SpanLink l : span.links()) {
      w.fixed64(l.traceId().high());
      w.fixed64(l.traceId().low());
      w.fixed64(l.spanId());
      w.string(l.traceState());
      w.attributes(l.attributes());
      w.varint(l.droppedAttributesCount());
      w.varint(l.flags());
    }
  }

  /** Decodes a span whose resource and strings are inline. */
  public static Span decode(byte[] bytes, int offset, int length, long startNanos,
      long durationNanos) {
    return decode(bytes, offset, length, startNanos, durationNanos, id -> {
      throw new IllegalStateException("span refers to resource " + id + " with no table");
    }, null);
  }

  /**
   * Decodes what {@link #encode} wrote, given the span's start time and duration and the table of
   * resources that references point into.
   */
  public static Span decode(byte[] bytes, int offset, int length, long startNanos,
      long durationNanos, LongFunction<Resource> resources, Strings strings) {
    Reader r = new Reader(bytes, offset, length, strings);
    int version = r.varint();
    if (version != VERSION) throw new IllegalStateException("unknown span encoding " + version);
    Span.Builder b = Span.builder();
    b.traceId(TraceId.of(r.fixed64(), r.fixed64()));
    b.spanId(r.fixed64());
    b.parentSpanId(r.fixed64());
    b.kind(SpanKind.fromOtlpNumber(r.varint()));
    StatusCode code = StatusCode.fromOtlpNumber(r.varint());
    b.status(Status.of(code, r.string()));
    b.name(r.symbol());
    b.traceState(r.string());
    b.flags(r.varint());
    b.droppedAttributesCount(r.varint());
    b.droppedEventsCount(r.varint());
    b.droppedLinksCount(r.varint());
    if (r.varint() == RESOURCE_REFERENCE) {
      long id = r.fixed64();
      Resource resource = resources.apply(id);
      if (resource == null) throw new IllegalStateException("unknown resource " + id);
      b.resource(resource);
    } else {
      Attributes resourceAttributes = r.attributes();
      b.resource(Resource.of(resourceAttributes, r.varint()));
    }
    String scopeName = r.symbol();
    String scopeVersion = r.symbol();
    b.scope(InstrumentationScope.of(scopeName, scopeVersion, r.attributes()));
    b.attributes(r.attributes());
    int events = r.varint();
    for (int i = 0; i < events; i++) {
      long time = startNanos + r.zigzag();
      String name = r.symbol();
      Attributes attributes = r.attributes();
      b.addEvent(SpanEvent.of(time, name, attributes, r.varint()));
    }
    int links = r.varint();
    for (int i = 0; i < links; i++) {
      TraceId traceId = TraceId.of(r.fixed64(), r.fixed64());
      long spanId = r.fixed64();
      String traceState = r.string();
      Attributes attributes = r.attributes();
      int dropped = r.varint();
      b.addLink(SpanLink.of(traceId, spanId, traceState, attributes, dropped, r.varint()));
    }
    b.startEpochNanos(startNanos);
    b.endEpochNanos(startNanos + durationNanos);
    return b.build();
  }

  /** Just the trace id, read from the head of an encoded span. */
  public static TraceId traceId(byte[] bytes, int offset, int length) {
    Reader r = new Reader(bytes, offset, length, null);
    r.varint();
    return TraceId.of(r.fixed64(), r.fixed64());
  }

  /** A resource alone, for the resource table. */
  public static byte[] encodeResource(Resource resource) {
    Writer w = new Writer(128, null);
    w.attributes(resource.attributes());
    w.varint(resource.droppedAttributesCount());
    return w.toBytes();
  }

  public static Resource decodeResource(byte[] bytes) {
    Reader r = new Reader(bytes, 0, bytes.length, null);
    Attributes attributes = r.attributes();
    return Resource.of(attributes, r.varint());
  }

  /** A 64-bit FNV-1a hash of an encoded resource, never 0: its id in the resource table. */
  public static long resourceId(byte[] encodedResource) {
    long h = 0xcbf29ce484222325L;
    for (byte b : encodedResource) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h == 0 ? 1 : h;
  }

  static final class Writer {
    private byte[] buf;
    private int pos;
    private final Strings strings;

    /**
     * The ids of strings this writer met lately, by the string's hash, found by identity: keys and
     * names are decoded to one instance each ({@code StringCache}), and a table id never changes.
     * Null unless {@link #remembering}.
     */
    private final String[] recent;
    private final int[] recentIds;
    private static final int RECENT = 1024;

    Writer(int capacity, Strings strings) {
      this(capacity, strings, false);
    }

    private Writer(int capacity, Strings strings, boolean remember) {
      buf = new byte[capacity];
      this.strings = strings;
      this.recent = remember && strings != null ? new String[RECENT] : null;
      this.recentIds = recent == null ? null : new int[RECENT];
    }

    /**
     * A writer for one thread that encodes span after span: it remembers the table ids of the
     * strings it met lately, so most symbols skip the table's lock and map.
     */
    static Writer remembering(int capacity, Strings strings) {
      return new Writer(capacity, strings, true);
    }

    /** A string that repeats: {@code id + 1} in the table, or 0 and the string. */
    void symbol(String s) {
      int id = strings == null || s.isEmpty() ? -1 : id(s);
      if (id >= 0) {
        varint(id + 1);
      } else {
        varint(0);
        string(s);
      }
    }

    private int id(String s) {
      if (recent == null) return strings.id(s);
      int slot = s.hashCode() & (RECENT - 1);
      if (recent[slot] == s) return recentIds[slot];
      int id = strings.id(s);
      if (id >= 0) {
        recent[slot] = s;
        recentIds[slot] = id;
      }
      return id;
    }

    private void ensure(int n) {
      if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    void varint(int value) {
      varlong(value & 0xffffffffL);
    }

    void varlong(long v) {
      ensure(10);
      while ((v & ~0x7fL) != 0) {
        buf[pos++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    void zigzag(long v) {
      varlong((v << 1) ^ (v >> 63));
    }

    void fixed64(long v) {
      ensure(8);
      for (int i = 56; i >= 0; i -= 8) buf[pos++] = (byte) (v >>> i);
    }

    void bytes(byte[] b) {
      varint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    void string(String s) {
      int n = s.length();
      if (n == 0) {
        varint(0);
        return;
      }
      // ASCII (nearly every value) straight into the buffer, a byte a char, after its length;
      // anything else is written again from the start through the JDK's UTF-8 encoder
      int start = pos;
      varint(n);
      ensure(n);
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          pos = start;
          bytes(s.getBytes(StandardCharsets.UTF_8));
          return;
        }
        buf[pos++] = (byte) c;
      }
    }

    void attributes(Attributes attributes) {
      varint(attributes.size());
      for (int i = 0; i < attributes.size(); i++) {
        symbol(attributes.key(i));
        value(attributes.value(i));
      }
    }

    void value(AttributeValue v) {
      switch (v.type()) {
        case STRING:
          varint(T_STRING);
          string(v.stringValue());
          break;
        case BOOLEAN:
          varint(v.booleanValue() ? T_TRUE : T_FALSE);
          break;
        case LONG:
          varint(T_LONG);
          zigzag(v.longValue());
          break;
        case DOUBLE:
          varint(T_DOUBLE);
          fixed64(Double.doubleToRawLongBits(v.doubleValue()));
          break;
        case BYTES:
          varint(T_BYTES);
          bytes(v.bytesValue());
          break;
        case ARRAY:
          varint(T_ARRAY);
          List<AttributeValue> list = v.arrayValue();
          varint(list.size());
          for (AttributeValue e : list) value(e);
          break;
        case MAP:
          varint(T_MAP);
          attributes(v.mapValue());
          break;
        default:
          throw new IllegalStateException("unknown attribute type " + v.type());
      }
    }

    byte[] toBytes() {
      return Arrays.copyOf(buf, pos);
    }

    /** What was written since the last {@link #reset()}, valid until the next write. */
    org.apache.lucene.util.BytesRef bytes() {
      return new org.apache.lucene.util.BytesRef(buf, 0, pos);
    }

    void reset() {
      pos = 0;
    }
  }

  static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;
    private final Strings strings;

    Reader(byte[] buf, int offset, int length, Strings strings) {
      this.buf = buf;
      this.pos = offset;
      this.end = offset + length;
      this.strings = strings;
    }

    String symbol() {
      int n = varint();
      if (n == 0) return string();
      String s = strings == null ? null : strings.string(n - 1);
      if (s == null) throw new IllegalStateException("unknown string " + (n - 1));
      return s;
    }

    private void need(int n) {
      if (pos + n > end) throw new IllegalStateException("truncated span encoding");
    }

    int varint() {
      return (int) varlong();
    }

    long varlong() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        need(1);
        byte b = buf[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) return result;
      }
      throw new IllegalStateException("malformed varint in span encoding");
    }

    long zigzag() {
      long v = varlong();
      return (v >>> 1) ^ -(v & 1);
    }

    long fixed64() {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos++] & 0xffL);
      return v;
    }

    byte[] bytes() {
      int n = varint();
      need(n);
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    String string() {
      int n = varint();
      if (n == 0) return "";
      need(n);
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    Attributes attributes() {
      int n = varint();
      if (n == 0) return Attributes.EMPTY;
      Attributes.Builder b = Attributes.builder();
      for (int i = 0; i < n; i++) {
        String key = symbol();
        b.put(key, value());
      }
      return b.build();
    }

    AttributeValue value() {
      int type = varint();
      switch (type) {
        case T_STRING:
          return AttributeValue.of(string());
        case T_FALSE:
          return AttributeValue.of(false);
        case T_TRUE:
          return AttributeValue.of(true);
        case T_LONG:
          return AttributeValue.of(zigzag());
        case T_DOUBLE:
          return AttributeValue.of(Double.longBitsToDouble(fixed64()));
        case T_BYTES:
          return AttributeValue.ofBytes(bytes());
        case T_ARRAY:
          int n = varint();
          List<AttributeValue> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) list.add(value());
          return AttributeValue.ofArray(list);
        case T_MAP:
          return AttributeValue.ofMap(attributes());
        default:
          throw new IllegalStateException("unknown attribute type tag " + type);
      }
    }
  }
}
