package dev.spanwise.storage.embedded.internal;

import dev.spanwise.model.AttributeType;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * How a span becomes a Lucene document. Only what searches need is indexed: trace id, service,
 * span name, kind, an error marker, {@code key=value} terms of span and resource attributes, the
 * start second as a point, start and duration as doc values. The span itself is stored in {@link
 * SpanCodec}'s form without its times (those come from doc values).
 */
public final class SpanDocuments {
  /** 16-byte trace id term. */
  public static final String TRACE_ID = "tid";
  public static final String SERVICE = "svc";
  /**
   * Service and ten-minute bucket of the start: a search for a service over a window reads only
   * that service's spans in the window's buckets, not its spans of the whole retention.
   */
  public static final String SERVICE_TIME = "svct";
  static final long TIME_BUCKET_SECONDS = 600;
  public static final String NAME = "name";
  public static final String KIND = "kind";
  /** Present ("1") on spans with error status. */
  public static final String ERROR = "err";
  /**
   * The span's resource: its 8-byte id in the tenant's resource table. Resource attributes are not
   * indexed per span: a filter on them becomes the set of matching resources' ids.
   */
  public static final String RESOURCE = "res";
  /**
   * {@code key=value} of span attributes (and of resource attributes, for a resource not in the
   * table); {@code key\0} when not indexable.
   */
  public static final String ATTRIBUTE = "attr";
  /** Start, in whole seconds since the epoch, as a point (coarse window filter). */
  public static final String START_SECOND = "ts";
  /**
   * The first and last start second of the trace's spans known when this span was written, as a
   * 2-d point, only on spans of traces known to cover more than one second. For every trace with
   * spans on both sides of a retention cutoff, the span written last among such a pair knows both,
   * so this finds the traces to keep whole (with the spans of the cutoff's own second).
   */
  public static final String TRACE_SECONDS = "trange";
  /** Start, epoch nanoseconds, doc values (exact filter, sort, and the span's start time). */
  public static final String START = "start";
  /** Duration in nanoseconds, doc values. */
  public static final String DURATION = "dur";
  /** The encoded span. */
  public static final String SPAN = "span";

  /** Rollup documents: unique key term, a type marker, stored key and values. */
  public static final String ROLLUP_KEY = "rk";
  public static final String ROLLUP_TYPE = "rtype";
  public static final String ROLLUP_STORED_KEY = "rks";
  public static final String ROLLUP_VALUE = "rv";
  public static final String ROLLUP_BYTES = "rvb";

  public static final String ERROR_MARK = "1";
  public static final char NOT_INDEXED = '\u0000';
  static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Bits of {@link #FLAGS}. */
  public static final long FLAG_ROOT = 1;
  public static final long FLAG_ERROR = 2;
  /** Root and error bits, doc values (summaries without reading stored spans). */
  public static final String FLAGS = "flags";

  static final FieldType KEYWORD = new FieldType();
  /** A term with sorted doc values (service and span name: summaries read them). */
  static final FieldType KEYWORD_SORTED = new FieldType();
  private static final BytesRef ERROR_TERM = new BytesRef(ERROR_MARK);
  private static final BytesRef[] KIND_TERMS = new BytesRef[SpanKind.values().length];
  /** Trace id: a term (trace by id) and sorted doc values (trace of a search hit). */
  static final FieldType TRACE_ID_TYPE = new FieldType();

  static {
    KEYWORD.setIndexOptions(IndexOptions.DOCS);
    KEYWORD.setOmitNorms(true);
    KEYWORD.setTokenized(false);
    KEYWORD.setStored(false);
    KEYWORD.freeze();
    KEYWORD_SORTED.setIndexOptions(IndexOptions.DOCS);
    KEYWORD_SORTED.setOmitNorms(true);
    KEYWORD_SORTED.setTokenized(false);
    KEYWORD_SORTED.setStored(false);
    KEYWORD_SORTED.setDocValuesType(DocValuesType.SORTED);
    KEYWORD_SORTED.freeze();
    for (SpanKind kind : SpanKind.values()) {
      KIND_TERMS[kind.ordinal()] = new BytesRef(kindTerm(kind.otlpNumber()));
    }
    TRACE_ID_TYPE.setIndexOptions(IndexOptions.DOCS);
    TRACE_ID_TYPE.setOmitNorms(true);
    TRACE_ID_TYPE.setTokenized(false);
    TRACE_ID_TYPE.setStored(false);
    TRACE_ID_TYPE.setDocValuesType(DocValuesType.SORTED);
    TRACE_ID_TYPE.freeze();
  }

  private final int maxIndexedValueLength;

  private final SpanCodec.Strings strings;
  /** The writer thread's span encoder, its buffer reused for every span. */
  private final SpanCodec.Writer spanWriter;

  SpanDocuments(int maxIndexedValueLength, SpanCodec.Strings strings) {
    this.maxIndexedValueLength = maxIndexedValueLength;
    this.strings = strings;
    this.spanWriter = new SpanCodec.Writer(1024, strings);
  }

  static BytesRef traceIdTerm(TraceId traceId) {
    return new BytesRef(traceId.toBytes());
  }

  static long second(long epochNanos) {
    return Math.floorDiv(epochNanos, NANOS_PER_SECOND);
  }

  static String kindTerm(int otlpKind) {
    return Integer.toString(otlpKind);
  }

  /** Attribute terms of recently seen resources (a batch shares one resource object). */
  private final Map<Resource, BytesRef[]> resourceTerms = new IdentityHashMap<>();

  /**
   * Builds the document of a span. {@code traceMin} and {@code traceMax} are the earliest and
   * latest span starts the writer knows of in the trace, this span included; {@code resourceId}
   * the span's resource in the tenant's resource table (0: store it inline). Called by the single
   * writer thread only.
   */
  List<IndexableField> toDocument(Span span, long resourceId, long traceMin, long traceMax) {
    List<IndexableField> doc = new ArrayList<>(24 + span.attributes().size());
    doc.add(new Field(TRACE_ID, traceIdTerm(span.traceId()), TRACE_ID_TYPE));
    doc.add(new Field(SERVICE, utf8(capped(span.serviceName())), KEYWORD_SORTED));
    doc.add(new Field(SERVICE_TIME,
        serviceTimeTerm(capped(span.serviceName()), timeBucket(span.startEpochNanos())), KEYWORD));
    doc.add(new Field(NAME, utf8(capped(span.name())), KEYWORD_SORTED));
    doc.add(new Field(KIND, KIND_TERMS[span.kind().ordinal()], KEYWORD));
    if (span.isError()) doc.add(new Field(ERROR, ERROR_TERM, KEYWORD));
    Attributes attributes = span.attributes();
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.key(i).length() > MAX_KEY_LENGTH) continue;
      doc.add(new Field(ATTRIBUTE, attributeTerm(attributes.key(i), attributes.value(i)),
          KEYWORD));
    }
    if (resourceId != 0) {
      doc.add(new Field(RESOURCE, resourceTerm(resourceId), KEYWORD));
    } else {
      for (BytesRef term : resourceTerms(span.resource())) {
        doc.add(new Field(ATTRIBUTE, term, KEYWORD));
      }
    }
    doc.add(new LongPoint(START_SECOND, second(span.startEpochNanos())));
    if (second(traceMin) < second(traceMax)) {
      doc.add(new LongPoint(TRACE_SECONDS, second(traceMin), second(traceMax)));
    }
    doc.add(new NumericDocValuesField(START, span.startEpochNanos()));
    doc.add(new NumericDocValuesField(DURATION, span.durationNanos()));
    long flags = (span.isRoot() ? FLAG_ROOT : 0) | (span.isError() ? FLAG_ERROR : 0);
    doc.add(new NumericDocValuesField(FLAGS, flags));
    // encoded into one buffer reused span after span; the document keeps a copy, since it is
    // added to the index on another thread
    SpanCodec.encodeInto(span, resourceId, spanWriter);
    doc.add(new StoredField(SPAN, spanWriter.toBytes()));
    return doc;
  }

  /**
   * Service and span names longer than this are indexed (and summarised) cut to this length:
   * Lucene refuses terms and sorted doc values over 32 KiB.
   */
  static final int MAX_NAME_LENGTH = 4096;
  /** Attribute keys longer than this are stored but not indexed. */
  static final int MAX_KEY_LENGTH = 1024;

  static String capped(String name) {
    return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
  }

  static long timeBucket(long epochNanos) {
    return Math.floorDiv(second(epochNanos), TIME_BUCKET_SECONDS);
  }

  static BytesRef serviceTimeTerm(String cappedService, long bucket) {
    return utf8(cappedService + '\u0000' + bucket);
  }

  /**
   * The UTF-8 bytes of {@code s} exactly as Lucene encodes a {@code String} term (so query terms
   * match), through the JDK's encoder when {@code s} is plain ASCII: several times faster than
   * Lucene's char-by-char one. Anything else (where the two encoders differ on unpaired
   * surrogates, which the JDK writes as {@code ?}) takes Lucene's.
   */
  static BytesRef utf8(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return isPlainAscii(bytes, s.length()) ? new BytesRef(bytes) : new BytesRef(s);
  }

  /** The term of a resource table id. */
  static BytesRef resourceTerm(long resourceId) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) b[i] = (byte) (resourceId >>> (56 - 8 * i));
    return new BytesRef(b);
  }

  private BytesRef[] resourceTerms(Resource resource) {
    BytesRef[] terms = resourceTerms.get(resource);
    if (terms == null) {
      Attributes attributes = resource.attributes();
      terms = new BytesRef[attributes.size()];
      int n = 0;
      for (int i = 0; i < attributes.size(); i++) {
        if (attributes.key(i).length() > MAX_KEY_LENGTH) continue;
        terms[n++] = attributeTerm(attributes.key(i), attributes.value(i));
      }
      terms = java.util.Arrays.copyOf(terms, n);
      if (resourceTerms.size() >= 1024) resourceTerms.clear();
      resourceTerms.put(resource, terms);
    }
    return terms;
  }

  private BytesRef attributeTerm(String key, AttributeValue value) {
    String text = indexedText(value);
    if (text == null) return utf8(key + NOT_INDEXED);
    byte[] k = keyBytes(key);
    byte[] v = text.getBytes(StandardCharsets.UTF_8);
    if (k == null || !isPlainAscii(v, text.length())) return new BytesRef(key + '=' + text);
    byte[] term = new byte[k.length + 1 + v.length];
    System.arraycopy(k, 0, term, 0, k.length);
    term[k.length] = '=';
    System.arraycopy(v, 0, term, k.length + 1, v.length);
    return new BytesRef(term);
  }

  /** UTF-8 of recent attribute keys, which repeat span after span; null for a non-ASCII key. */
  private final Map<String, byte[]> keyBytes = new HashMap<>();
  private static final byte[] NOT_ASCII = new byte[0];

  private byte[] keyBytes(String key) {
    byte[] b = keyBytes.get(key);
    if (b == null) {
      b = key.getBytes(StandardCharsets.UTF_8);
      if (!isPlainAscii(b, key.length())) b = NOT_ASCII;
      if (keyBytes.size() >= 4096) keyBytes.clear();
      keyBytes.put(key, b);
    }
    return b == NOT_ASCII ? null : b;
  }

  /**
   * Whether {@code utf8}, the JDK's encoding of a string of {@code chars} chars, is plain ASCII
   * without a {@code ?}: only then is it the same as Lucene's encoding (the two differ on unpaired
   * surrogates, which the JDK writes as {@code ?}).
   */
  private static boolean isPlainAscii(byte[] utf8, int chars) {
    if (utf8.length != chars) return false;
    for (byte b : utf8) {
      if (b == '?') return false;
    }
    return true;
  }

  /**
   * The text indexed for a value ({@link AttributeValue#asText()}), or null when it is longer than
   * the limit. So an equality filter whose value is within the limit is answered exactly by one
   * term, and a longer one by the {@code key\0} term and a check of the span.
   */
  String indexedText(AttributeValue value) {
    if (value.type() == AttributeType.STRING) {
      String s = value.stringValue();
      return s.length() <= maxIndexedValueLength ? s : null;
    }
    if (value.type() == AttributeType.BYTES && value.bytesValue().length > maxIndexedValueLength) {
      return null;
    }
    String text = value.asText();
    return text.length() <= maxIndexedValueLength ? text : null;
  }

  /** Whether a filter value would have been indexed as a term. */
  boolean indexable(String filterValue) {
    return filterValue.length() <= maxIndexedValueLength;
  }
}
