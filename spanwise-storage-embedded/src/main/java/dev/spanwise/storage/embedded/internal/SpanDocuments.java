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
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/**
 * How a span becomes a Lucene document (layout {@value #LAYOUT}). Only what searches need is
 * indexed, and every searchable term of a span goes into one field, {@link #TERMS}, each term
 * led by a byte naming what it is: service and ten-minute bucket, span name, kind, an error
 * marker, {@code key=value} of span attributes, the resource. One field with many terms costs
 * Lucene far less per document than a field per kind of term (measured: 111k documents per CPU
 * second with nine keyword fields, 132k with one). The trace id has a field of its own (a term
 * and sorted doc values); the start second is a point; start, duration, flags and the string-table
 * ids of the service and span name are numeric doc values (summaries read them, no stored span).
 * The span itself is stored in {@link SpanCodec}'s form without its times.
 */
public final class SpanDocuments {
  /** The document layout this build writes and reads; kept in each commit's user data. */
  public static final String LAYOUT = "spans-2";

  /** 16-byte trace id term. */
  public static final String TRACE_ID = "tid";
  /** Every searchable term of the span, each led by one of the bytes below. */
  public static final String TERMS = "t";
  /**
   * Service and ten-minute bucket of the start: a search for a service over a window reads only
   * that service's spans in the window's buckets, not its spans of the whole retention.
   */
  static final char SERVICE_TIME = 'S';
  static final long TIME_BUCKET_SECONDS = 600;
  static final char NAME = 'n';
  static final char KIND = 'k';
  /** On spans with error status. */
  static final char ERROR = 'e';
  /**
   * The span's resource: its 8-byte id in the tenant's resource table. Resource attributes are not
   * indexed per span: a filter on them becomes the set of matching resources' ids.
   */
  static final char RESOURCE = 'r';
  /**
   * {@code key=value} of span attributes (and of resource attributes, for a resource not in the
   * table); {@code key\0} when not indexable.
   */
  static final char ATTRIBUTE = 'a';
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
  /**
   * The service and span name as ids in the tenant's string table plus one, doc values; 0 when
   * the string has no id (too long, or the table full): a summary then reads the stored span.
   */
  public static final String SERVICE_ID = "svcid";
  public static final String NAME_ID = "nameid";
  /** The encoded span. */
  public static final String SPAN = "span";

  /** Rollup documents: unique key term, a type marker, stored key and values. */
  public static final String ROLLUP_KEY = "rk";
  public static final String ROLLUP_TYPE = "rtype";
  public static final String ROLLUP_STORED_KEY = "rks";
  public static final String ROLLUP_VALUE = "rv";
  public static final String ROLLUP_BYTES = "rvb";

  public static final char NOT_INDEXED = '\u0000';
  static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Bits of {@link #FLAGS}. */
  public static final long FLAG_ROOT = 1;
  public static final long FLAG_ERROR = 2;
  /** Root and error bits, doc values (summaries without reading stored spans). */
  public static final String FLAGS = "flags";

  static final FieldType KEYWORD = new FieldType();
  /** {@link #TERMS}: a field whose terms come from {@link TermsStream}, no positions. */
  static final FieldType TERMS_TYPE = new FieldType();
  private static final BytesRef ERROR_TERM = new BytesRef(new byte[] {(byte) ERROR});
  private static final BytesRef[] KIND_TERMS = new BytesRef[SpanKind.values().length];
  /** Trace id: a term (trace by id) and sorted doc values (trace of a search hit). */
  static final FieldType TRACE_ID_TYPE = new FieldType();

  static {
    KEYWORD.setIndexOptions(IndexOptions.DOCS);
    KEYWORD.setOmitNorms(true);
    KEYWORD.setTokenized(false);
    KEYWORD.setStored(false);
    KEYWORD.freeze();
    TERMS_TYPE.setIndexOptions(IndexOptions.DOCS);
    TERMS_TYPE.setOmitNorms(true);
    TERMS_TYPE.setTokenized(true);
    TERMS_TYPE.setStored(false);
    TERMS_TYPE.freeze();
    for (SpanKind kind : SpanKind.values()) {
      KIND_TERMS[kind.ordinal()] = new BytesRef(KIND + kindTerm(kind.otlpNumber()));
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
    this.spanWriter = SpanCodec.Writer.remembering(1024, strings);
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

  // ------------------------------------------------------------------ query terms

  /** The term of a service's spans in a ten-minute bucket. */
  static Term serviceTimeTerm(String service, long bucket) {
    return new Term(TERMS, SERVICE_TIME + capped(service) + '\u0000' + bucket);
  }

  /** The prefix of every bucket term of a service. */
  static Term servicePrefix(String service) {
    return new Term(TERMS, SERVICE_TIME + capped(service) + '\u0000');
  }

  static Term nameTerm(String name) {
    return new Term(TERMS, NAME + capped(name));
  }

  static Term kindTerm(SpanKind kind) {
    return new Term(TERMS, KIND_TERMS[kind.ordinal()]);
  }

  static Term errorTerm() {
    return new Term(TERMS, ERROR_TERM);
  }

  /** The term of {@code key=value}; the value as {@link AttributeValue#asText()}. */
  static Term attributeTerm(String key, String value) {
    return new Term(TERMS, ATTRIBUTE + key + '=' + value);
  }

  /** The prefix of every indexed value of {@code key}. */
  static Term attributePrefix(String key) {
    return new Term(TERMS, ATTRIBUTE + key + '=');
  }

  /** The term of a {@code key} whose value was too long to index. */
  static Term attributeNotIndexedTerm(String key) {
    return new Term(TERMS, ATTRIBUTE + key + NOT_INDEXED);
  }

  static Term resourceTerm(long resourceId) {
    return new Term(TERMS, resourceTermBytes(resourceId));
  }

  private static BytesRef resourceTermBytes(long resourceId) {
    byte[] b = new byte[9];
    b[0] = (byte) RESOURCE;
    for (int i = 0; i < 8; i++) b[i + 1] = (byte) (resourceId >>> (56 - 8 * i));
    return new BytesRef(b);
  }

  // ------------------------------------------------------------------ documents

  /** Attribute terms of recently seen resources (a batch shares one resource object). */
  private final Map<Resource, BytesRef[]> resourceTerms = new IdentityHashMap<>();
  /** Resource id terms of recently seen resources. */
  private final Map<Long, BytesRef> resourceIdTerms = new HashMap<>();

  /**
   * Builds the document of a span. {@code traceMin} and {@code traceMax} are the earliest and
   * latest span starts the writer knows of in the trace, this span included; {@code resourceId}
   * the span's resource in the tenant's resource table (0: store it inline). Called by the single
   * writer thread only; the document may be added to the index on another thread.
   */
  List<IndexableField> toDocument(Span span, long resourceId, long traceMin, long traceMax) {
    Attributes attributes = span.attributes();
    BytesRef[] terms = new BytesRef[5 + attributes.size()];
    int n = 0;
    String service = capped(span.serviceName());
    terms[n++] = serviceTimeTermBytes(service, timeBucket(span.startEpochNanos()));
    terms[n++] = nameTermBytes(span.name());
    terms[n++] = KIND_TERMS[span.kind().ordinal()];
    if (span.isError()) terms[n++] = ERROR_TERM;
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.key(i).length() > MAX_KEY_LENGTH) continue;
      terms[n++] = attributeTermBytes(attributes.key(i), attributes.value(i));
    }
    if (resourceId != 0) {
      BytesRef id = resourceIdTerms.get(resourceId);
      if (id == null) {
        id = resourceTermBytes(resourceId);
        if (resourceIdTerms.size() >= 1024) resourceIdTerms.clear();
        resourceIdTerms.put(resourceId, id);
      }
      terms[n++] = id;
    } else {
      BytesRef[] inline = resourceTerms(span.resource());
      if (n + inline.length > terms.length) terms = Arrays.copyOf(terms, n + inline.length);
      for (BytesRef term : inline) terms[n++] = term;
    }
    List<IndexableField> doc = new ArrayList<>(12);
    doc.add(new Field(TRACE_ID, traceIdTerm(span.traceId()), TRACE_ID_TYPE));
    doc.add(new TermsField(terms, n));
    doc.add(new LongPoint(START_SECOND, second(span.startEpochNanos())));
    if (second(traceMin) < second(traceMax)) {
      doc.add(new LongPoint(TRACE_SECONDS, second(traceMin), second(traceMax)));
    }
    doc.add(new NumericDocValuesField(START, span.startEpochNanos()));
    doc.add(new NumericDocValuesField(DURATION, span.durationNanos()));
    long flags = (span.isRoot() ? FLAG_ROOT : 0) | (span.isError() ? FLAG_ERROR : 0);
    doc.add(new NumericDocValuesField(FLAGS, flags));
    doc.add(new NumericDocValuesField(SERVICE_ID, stringId(service)));
    doc.add(new NumericDocValuesField(NAME_ID, stringId(capped(span.name()))));
    // encoded into one buffer reused span after span; the document keeps a copy, since it is
    // added to the index on another thread
    SpanCodec.encodeInto(span, resourceId, spanWriter);
    doc.add(new StoredField(SPAN, spanWriter.toBytes()));
    return doc;
  }

  /** A string's id in the tenant's table plus one; 0 when it has none. */
  private long stringId(String s) {
    int id = s.isEmpty() ? -1 : strings.id(s);
    return id + 1L;
  }

  /**
   * Service and span names longer than this are indexed (and summarised) cut to this length:
   * Lucene refuses terms over 32 KiB.
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

  /**
   * {@code kind} then the UTF-8 of {@code s} exactly as Lucene encodes the string {@code kind + s}
   * in a query term: through the JDK's encoder when {@code s} is plain ASCII, else Lucene's.
   */
  private static BytesRef prefixed(char kind, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (!isPlainAscii(utf8, s.length())) return new BytesRef(kind + s);
    byte[] b = new byte[utf8.length + 1];
    b[0] = (byte) kind;
    System.arraycopy(utf8, 0, b, 1, utf8.length);
    return new BytesRef(b);
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

  private BytesRef[] resourceTerms(Resource resource) {
    BytesRef[] terms = resourceTerms.get(resource);
    if (terms == null) {
      Attributes attributes = resource.attributes();
      terms = new BytesRef[attributes.size()];
      int n = 0;
      for (int i = 0; i < attributes.size(); i++) {
        if (attributes.key(i).length() > MAX_KEY_LENGTH) continue;
        terms[n++] = attributeTermBytes(attributes.key(i), attributes.value(i));
      }
      terms = Arrays.copyOf(terms, n);
      if (resourceTerms.size() >= 1024) resourceTerms.clear();
      resourceTerms.put(resource, terms);
    }
    return terms;
  }

  /** The service-and-bucket term of each recent service, for its latest bucket. */
  private final Map<String, Object[]> serviceTimeTerms = new HashMap<>();

  private BytesRef serviceTimeTermBytes(String service, long bucket) {
    Object[] last = serviceTimeTerms.get(service);
    if (last == null || (long) last[0] != bucket) {
      last = new Object[] {bucket, prefixed(SERVICE_TIME, service + '\u0000' + bucket)};
      if (serviceTimeTerms.size() >= 4096) serviceTimeTerms.clear();
      serviceTimeTerms.put(service, last);
    }
    return (BytesRef) last[1];
  }

  /** UTF-8 of recent span names with the name byte in front, which repeat span after span. */
  private final Map<String, BytesRef> nameTerms = new HashMap<>();

  private BytesRef nameTermBytes(String name) {
    BytesRef term = nameTerms.get(name);
    if (term == null) {
      String capped = capped(name);
      term = prefixed(NAME, capped);
      if (nameTerms.size() >= 8192) nameTerms.clear();
      nameTerms.put(name, term);
    }
    return term;
  }

  private BytesRef attributeTermBytes(String key, AttributeValue value) {
    byte[] k = keyBytes(key);
    if (k != null) {
      // the common cases written straight into the term, without the value's text in between
      switch (value.type()) {
        case STRING: {
          String s = value.stringValue();
          if (s.length() > maxIndexedValueLength) break;
          byte[] term = termWithKey(k, s.length());
          for (int i = 0, at = k.length + 2; i < s.length(); i++, at++) {
            char c = s.charAt(i);
            if (c >= 0x80) return slowAttributeTermBytes(key, value); // Lucene's UTF-8
            term[at] = (byte) c;
          }
          return new BytesRef(term);
        }
        case LONG: {
          long v = value.longValue();
          int digits = decimalLength(v);
          if (digits > maxIndexedValueLength) break;
          byte[] term = termWithKey(k, digits);
          writeDecimal(v, term, term.length);
          return new BytesRef(term);
        }
        case BOOLEAN: {
          byte[] text = value.booleanValue() ? TRUE : FALSE;
          if (text.length > maxIndexedValueLength) break;
          byte[] term = termWithKey(k, text.length);
          System.arraycopy(text, 0, term, k.length + 2, text.length);
          return new BytesRef(term);
        }
        default:
          break;
      }
    }
    return slowAttributeTermBytes(key, value);
  }

  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

  /** A term of {@code valueLength} more bytes with the attribute byte, the key and {@code =}. */
  private static byte[] termWithKey(byte[] key, int valueLength) {
    byte[] term = new byte[key.length + 2 + valueLength];
    term[0] = (byte) ATTRIBUTE;
    System.arraycopy(key, 0, term, 1, key.length);
    term[key.length + 1] = '=';
    return term;
  }

  /** The length of {@link Long#toString(long)}. */
  static int decimalLength(long v) {
    if (v == Long.MIN_VALUE) return 20;
    int n = 1;
    if (v < 0) {
      n++;
      v = -v;
    }
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  /** Writes {@link Long#toString(long)} as ASCII, ending just before {@code end}. */
  static void writeDecimal(long v, byte[] into, int end) {
    if (v == Long.MIN_VALUE) {
      byte[] min = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(min, 0, into, end - min.length, min.length);
      return;
    }
    boolean negative = v < 0;
    if (negative) v = -v;
    int at = end;
    do {
      into[--at] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
    if (negative) into[--at] = '-';
  }

  /** Any value, and any key, through its text ({@link #indexedText}). */
  private BytesRef slowAttributeTermBytes(String key, AttributeValue value) {
    String text = indexedText(value);
    byte[] k = keyBytes(key);
    if (text == null) {
      if (k == null) return new BytesRef(ATTRIBUTE + key + NOT_INDEXED);
      byte[] term = new byte[k.length + 2];
      term[0] = (byte) ATTRIBUTE;
      System.arraycopy(k, 0, term, 1, k.length);
      term[k.length + 1] = (byte) NOT_INDEXED;
      return new BytesRef(term);
    }
    byte[] v = text.getBytes(StandardCharsets.UTF_8);
    if (k == null || !isPlainAscii(v, text.length())) {
      return new BytesRef(ATTRIBUTE + key + '=' + text);
    }
    byte[] term = termWithKey(k, v.length);
    System.arraycopy(v, 0, term, k.length + 2, v.length);
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

  /** The {@link #TERMS} field of one span: its terms, fed to Lucene through {@link TermsStream}. */
  private static final class TermsField extends Field {
    private final BytesRef[] terms;
    private final int count;

    TermsField(BytesRef[] terms, int count) {
      super(TERMS, TERMS_TYPE);
      this.terms = terms;
      this.count = count;
    }

    /** Lucene hands back the stream it used for this field last time: reset and reused. */
    @Override
    public TokenStream tokenStream(Analyzer analyzer, TokenStream reuse) {
      TermsStream stream = reuse instanceof TermsStream ? (TermsStream) reuse : new TermsStream();
      stream.set(terms, count);
      return stream;
    }
  }

  /** Emits a span's terms as they are, one token each. */
  private static final class TermsStream extends TokenStream {
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private BytesRef[] terms;
    private int count;
    private int next;

    void set(BytesRef[] terms, int count) {
      this.terms = terms;
      this.count = count;
      this.next = 0;
    }

    @Override
    public boolean incrementToken() {
      if (next >= count) return false;
      clearAttributes();
      term.setBytesRef(terms[next++]);
      return true;
    }

    @Override
    public void reset() {
      // set() starts the stream over; Lucene calls reset() after tokenStream()
    }

    @Override
    public void close() {
      terms = null; // the document's terms are not kept past its inversion
    }
  }
}
