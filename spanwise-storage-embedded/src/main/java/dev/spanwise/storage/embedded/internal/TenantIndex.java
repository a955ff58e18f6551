package dev.spanwise.storage.embedded.internal;

import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import dev.spanwise.storage.embedded.internal.TraceCache.SpanInfo;
import dev.spanwise.storage.embedded.internal.TraceCache.TraceState;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.bloom.BloomFilteringPostingsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * One tenant's Lucene index: span documents and rollup documents in one directory, one writer
 * (callers of {@link #accept} are serialised by a lock), near-real-time readers for everyone else.
 */
public final class TenantIndex implements Closeable {
  /** Settings, from the public options. */
  public record Settings(double ramBufferMb, int recentTraceCacheSpans, int maxIndexedValueLength) {}

  private static final String PEER_SERVICE = "peer.service";
  private static final String SERVER_ADDRESS = "server.address";
  private static final Sort NEWEST_FIRST =
      new Sort(new SortField(SpanDocuments.START, SortField.Type.LONG, true));

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  /** The second stage of the write path: adds the documents {@link #accept} builds. */
  private final DocumentSink sink;
  private final SearcherManager searchers;
  private final SpanDocuments documents;
  private final Rollups rollups = new Rollups();
  private final StoredFieldsPool storedFieldsPool = new StoredFieldsPool();
  private final TraceCache cache;
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Incremented after each trace's spans are handed to the writer. */
  private final AtomicLong writeSeq = new AtomicLong();
  private volatile long refreshedSeq;
  /** Evicted trace ids awaiting a refresh that the cache keeps before forcing one. */
  private static final int MAX_UNSEARCHABLE_EVICTIONS = 65_536;
  private volatile long committedSeq;

  private TenantIndex(Path path, Settings settings) throws IOException {
    this.path = path;
    this.directory = FSDirectory.open(path);
    IndexWriterConfig config = new IndexWriterConfig()
        .setCodec(codec())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setRAMBufferSizeMB(settings.ramBufferMb())
        .setCommitOnClose(false);
    IndexWriter w;
    try {
      checkLayout(directory, path);
      w = new IndexWriter(directory, config);
      w.setLiveCommitData(Map.of(LAYOUT_KEY, SpanDocuments.LAYOUT).entrySet());
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    this.writer = w;
    this.sink = new DocumentSink(writer, "spanwise-index-" + path.getFileName());
    this.searchers = new SearcherManager(writer, true, false, null);
    this.documents = new SpanDocuments(settings.maxIndexedValueLength(), rollups.stringTable);
    this.cache = new TraceCache(settings.recentTraceCacheSpans());
    loadRollups();
  }

  /**
   * Lucene's codec (stored fields for speed), with a Bloom filter in front of the trace id terms.
   * The writer looks up every trace it does not hold in memory, and nearly all of them are new:
   * the filter answers "not in this segment" without a seek in the terms dictionary. Segments
   * name their postings format per field, so segments written before it are read as they are,
   * and merges rewrite them with it.
   */
  static Codec codec() {
    return new Lucene912Codec(Lucene912Codec.Mode.BEST_SPEED) {
      private final PostingsFormat traceIds =
          new BloomFilteringPostingsFormat(super.getPostingsFormatForField(SpanDocuments.TRACE_ID));

      @Override
      public PostingsFormat getPostingsFormatForField(String field) {
        return SpanDocuments.TRACE_ID.equals(field)
            ? traceIds : super.getPostingsFormatForField(field);
      }
    };
  }

  /** Commit user data naming the document layout, so an index of another layout is refused. */
  static final String LAYOUT_KEY = "spanwise.layout";

  /**
   * Refuses an index written in another document layout (by an earlier build): its documents
   * would be misread. An index without documents is taken whatever wrote it.
   */
  private static void checkLayout(Directory directory, Path path) throws IOException {
    if (!DirectoryReader.indexExists(directory)) return;
    SegmentInfos commit = SegmentInfos.readLatestCommit(directory);
    String layout = commit.getUserData().get(LAYOUT_KEY);
    if (SpanDocuments.LAYOUT.equals(layout) || commit.totalMaxDoc() == 0) return;
    throw new IOException("the index in " + path + " was written by another version of Spanwise"
        + " (document layout " + (layout == null ? "spans-1" : layout) + "; this version reads "
        + SpanDocuments.LAYOUT + "): move that data directory away, or start with an empty"
        + " --data-dir");
  }

  public static TenantIndex open(Path path, Settings settings) throws IOException {
    return new TenantIndex(path, settings);
  }

  public Rollups rollups() {
    return rollups;
  }

  // ------------------------------------------------------------------ write

  /** Writes spans not stored yet (by trace id, span id and kind) and updates the rollups. */
  public void accept(List<Span> spans) throws IOException {
    if (spans.isEmpty()) return;
    Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
    for (Span s : spans) byTrace.computeIfAbsent(s.traceId(), t -> new ArrayList<>(4)).add(s);
    writeLock.lock();
    try {
      Map<TraceId, TraceState> states = new LinkedHashMap<>();
      List<TraceId> missing = new ArrayList<>();
      for (TraceId id : byTrace.keySet()) {
        TraceState state = cache.get(id);
        if (state == null) missing.add(id);
        else states.put(id, state);
      }
      if (!missing.isEmpty()) lookUp(missing, states);
      Set<Resource> seenResources = Collections.newSetFromMap(new IdentityHashMap<>());
      List<Iterable<IndexableField>> docs = new ArrayList<>(spans.size());
      synchronized (rollups) {
        for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
          TraceState state = states.get(e.getKey());
          boolean cached = cache.get(e.getKey()) != null;
          int before = state.spans.size();
          try {
            for (Span span : e.getValue()) {
              if (state.contains(span.spanId(), span.kind())) continue;
              long start = span.startEpochNanos();
              docs.add(documents.toDocument(span, rollups.resourceId(span.resource()),
                  Math.min(state.minStart, start), Math.max(state.maxStart, start)));
              state.add(info(span));
              names(span, seenResources);
            }
          } finally {
            // even when a write fails midway, what was written is linked and remembered, so a
            // retry of the batch (which skips those spans) leaves the rollups right
            int added = state.spans.size() - before;
            if (added > 0) link(state, before);
            state.lastWriteSeq = writeSeq.incrementAndGet();
            if (cached) cache.grew(added);
            else cache.put(e.getKey(), state);
          }
        }
      }
      sink.submit(docs);
      cache.evict(refreshedSeq);
      if (cache.pruneSearchable(refreshedSeq) > MAX_UNSEARCHABLE_EVICTIONS) {
        refresh(); // bounds the memory of evicted ids when no reader refreshes the index
        cache.pruneSearchable(refreshedSeq);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Finds the stored spans of traces the cache does not hold. */
  private void lookUp(List<TraceId> missing, Map<TraceId, TraceState> states) throws IOException {
    // Only a trace evicted from the cache after the reader's last refresh can have spans the
    // reader does not show; for any other (most are new traces) the reader is up to date. A
    // refresh writes the indexing buffer out as a segment, so it is worth avoiding.
    long shown = refreshedSeq;
    cache.pruneSearchable(shown);
    for (TraceId id : missing) {
      if (cache.mayBeUnsearchable(id, shown)) {
        refresh();
        break;
      }
    }
    IndexSearcher searcher = searchers.acquire();
    try {
      List<List<StoredSpan>> stored = readTraces(searcher.getIndexReader(), missing);
      for (int i = 0; i < missing.size(); i++) {
        TraceState state = new TraceState();
        for (StoredSpan s : stored.get(i)) {
          state.add(info(s.decode(rollups)));
        }
        states.put(missing.get(i), state);
      }
    } finally {
      searchers.release(searcher);
    }
  }

  private static SpanInfo info(Span span) {
    String peer = null;
    if (span.kind() == SpanKind.CLIENT || span.kind() == SpanKind.PRODUCER) {
      peer = span.attributes().getString(PEER_SERVICE);
      if (peer != null && peer.isEmpty()) peer = null;
    }
    return new SpanInfo(span.spanId(), span.parentSpanId(), span.kind(), span.serviceName(),
        span.startEpochNanos(), span.isError(), peer);
  }

  /** Updates the name rollups for a newly written span. */
  private void names(Span span, Set<Resource> seenResources) {
    String service = span.serviceName();
    long start = span.startEpochNanos();
    rollups.service(service, start);
    rollups.operation(service, span.name(), span.kind(), start);
    Attributes attributes = span.attributes();
    rollups.attributeKeys(service, attributes, start);
    if (seenResources.add(span.resource())) {
      // once per resource object in a batch (its spans share it); a mark a little early is safe:
      // retention asks the index before it drops a name (Rollups.StillUsed)
      rollups.attributeKeys(service, span.resource().attributes(), start);
    }
    if (span.kind() == SpanKind.CLIENT || span.kind() == SpanKind.PRODUCER) {
      String remote = attributes.getString(PEER_SERVICE);
      if (remote == null || remote.isEmpty()) remote = attributes.getString(SERVER_ADDRESS);
      if (remote != null && !remote.isEmpty()) rollups.remoteService(service, remote, start);
    }
  }

  private record Call(String parent, String child, long second) {}

  /**
   * Records the calls of a trace that its new spans (from index {@code before} on) changed: the
   * calls of the whole trace now minus those of the trace before.
   */
  private void link(TraceState state, int before) {
    Map<Call, long[]> diff = new HashMap<>();
    if (before > 0) {
      TraceLinks.forEachCall(state.spans.subList(0, before), (parent, child, time, error) -> {
        long[] c = diff.computeIfAbsent(new Call(parent, child, SpanDocuments.second(time)),
            k -> new long[2]);
        c[0]--;
        if (error) c[1]--;
      });
    }
    TraceLinks.forEachCall(state.spans, (parent, child, time, error) -> {
      long[] c = diff.computeIfAbsent(new Call(parent, child, SpanDocuments.second(time)),
          k -> new long[2]);
      c[0]++;
      if (error) c[1]++;
    });
    for (Map.Entry<Call, long[]> e : diff.entrySet()) {
      long[] c = e.getValue();
      if (c[0] == 0 && c[1] == 0) continue;
      Call call = e.getKey();
      rollups.calls(call.parent(), call.child(), call.second(), c[0], c[1]);
    }
  }

  /** Persists rollups changed since the last commit, then commits the index. */
  public void commit() throws IOException {
    writeLock.lock();
    try {
      long seq = writeSeq.get();
      sink.drain();
      Map<String, Object> dirty = rollups.takeDirty();
      if (dirty.isEmpty() && seq == committedSeq && !writer.hasUncommittedChanges()) return;
      for (Map.Entry<String, Object> e : dirty.entrySet()) {
        writer.updateDocument(new Term(SpanDocuments.ROLLUP_KEY, e.getKey()),
            rollupDocument(e.getKey(), e.getValue()));
      }
      writer.commit();
      committedSeq = seq;
    } finally {
      writeLock.unlock();
    }
  }

  private static Document rollupDocument(String key, Object value) {
    Document doc = new Document();
    doc.add(new Field(SpanDocuments.ROLLUP_KEY, key, SpanDocuments.KEYWORD));
    doc.add(new Field(SpanDocuments.ROLLUP_TYPE, "r", SpanDocuments.KEYWORD));
    doc.add(new StoredField(SpanDocuments.ROLLUP_STORED_KEY, key));
    if (value instanceof byte[] bytes) {
      doc.add(new StoredField(SpanDocuments.ROLLUP_BYTES, bytes));
    } else {
      for (long v : (long[]) value) doc.add(new StoredField(SpanDocuments.ROLLUP_VALUE, v));
    }
    return doc;
  }

  private void loadRollups() throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(writer)) {
      for (LeafReaderContext leaf : reader.leaves()) {
        LeafReader r = leaf.reader();
        Terms terms = r.terms(SpanDocuments.ROLLUP_TYPE);
        if (terms == null) continue;
        TermsEnum te = terms.iterator();
        if (!te.seekExact(new BytesRef("r"))) continue;
        PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
        Bits live = r.getLiveDocs();
        StoredFields stored = r.storedFields();
        for (int doc = pe.nextDoc(); doc != PostingsEnum.NO_MORE_DOCS; doc = pe.nextDoc()) {
          if (live != null && !live.get(doc)) continue;
          Document d = stored.document(doc);
          String key = d.get(SpanDocuments.ROLLUP_STORED_KEY);
          var fields = d.getFields(SpanDocuments.ROLLUP_VALUE);
          long[] values = new long[fields.length];
          for (int i = 0; i < fields.length; i++) values[i] = fields[i].numericValue().longValue();
          BytesRef bytes = d.getBinaryValue(SpanDocuments.ROLLUP_BYTES);
          rollups.load(key, values, bytes == null ? null : BytesRef.deepCopyOf(bytes).bytes);
        }
      }
    }
  }

  /** After this long without reads, scheduled refreshes pause (each costs a small segment). */
  static final long SEARCH_IDLE_NANOS = 30_000_000_000L;
  private volatile long lastReadNanos = System.nanoTime() - 2 * SEARCH_IDLE_NANOS;

  /**
   * Called before each read: a read after an idle spell refreshes first, so it sees every span
   * accepted before it, and scheduled refreshes resume.
   */
  private void beforeRead() throws IOException {
    long now = System.nanoTime();
    boolean idle = now - lastReadNanos > SEARCH_IDLE_NANOS;
    lastReadNanos = now;
    if (idle && writeSeq.get() != refreshedSeq) refresh();
  }

  /**
   * The periodic refresh: only while the index is being read. Each refresh writes the indexing
   * buffer out as a small segment, which later merges rewrite; without readers that work is wasted
   * (ingest with a refresh every second runs at about half the speed of ingest without).
   */
  public void scheduledRefresh() throws IOException {
    if (System.nanoTime() - lastReadNanos <= SEARCH_IDLE_NANOS) refresh();
  }

  /** Makes spans written so far visible to searches. */
  public void refresh() throws IOException {
    long seq = writeSeq.get();
    sink.drain();
    searchers.maybeRefreshBlocking();
    refreshedSeq = seq;
  }

  /**
   * Deletes the spans of traces whose spans all started before the cutoff, and rollups that only
   * they used. Traces with spans on both sides of the cutoff are kept whole.
   */
  public void deleteBefore(long cutoffNanos) throws IOException {
    writeLock.lock();
    try {
      refresh();
      Set<BytesRef> keep = new HashSet<>();
      IndexSearcher searcher = searchers.acquire();
      try {
        for (TraceId id : straddling(searcher, cutoffNanos)) {
          keep.add(SpanDocuments.traceIdTerm(id));
        }
      } finally {
        searchers.release(searcher);
      }
      BooleanQuery.Builder old = new BooleanQuery.Builder()
          .add(LongPoint.newRangeQuery(SpanDocuments.START_SECOND, Long.MIN_VALUE,
              SpanDocuments.second(cutoffNanos - 1)), Occur.FILTER)
          .add(NumericDocValuesField.newSlowRangeQuery(SpanDocuments.START, Long.MIN_VALUE,
              cutoffNanos - 1), Occur.FILTER);
      if (!keep.isEmpty()) {
        old.add(new TermInSetQuery(SpanDocuments.TRACE_ID, keep), Occur.MUST_NOT);
      }
      writer.deleteDocuments(old.build());
      refresh();
      searcher = searchers.acquire();
      try {
        for (String key : rollups.deleteBefore(cutoffNanos, new IndexUse(searcher, rollups))) {
          writer.deleteDocuments(new Term(SpanDocuments.ROLLUP_KEY, key));
        }
      } finally {
        searchers.release(searcher);
      }
      cache.deleteBefore(cutoffNanos);
    } finally {
      writeLock.unlock();
    }
    commit();
    writer.forceMergeDeletes(false);
    refresh();
  }

  /** Traces with spans before and at-or-after the cutoff. */
  private Set<TraceId> straddling(IndexSearcher searcher, long cutoff) throws IOException {
    long before = SpanDocuments.second(cutoff - 1);
    long at = SpanDocuments.second(cutoff);
    Query candidates = new BooleanQuery.Builder()
        .add(LongPoint.newRangeQuery(SpanDocuments.TRACE_SECONDS,
            new long[] {Long.MIN_VALUE, at}, new long[] {before, Long.MAX_VALUE}), Occur.SHOULD)
        .add(LongPoint.newExactQuery(SpanDocuments.START_SECOND, at), Occur.SHOULD)
        .build();
    Set<TraceId> ids = new HashSet<>();
    Weight weight = searcher.createWeight(searcher.rewrite(candidates),
        ScoreMode.COMPLETE_NO_SCORES, 1);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer scorer = weight.scorer(leaf);
      if (scorer == null) continue;
      SortedDocValues traceIds = DocValues.getSorted(leaf.reader(), SpanDocuments.TRACE_ID);
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator it = scorer.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live != null && !live.get(doc)) continue;
        if (!traceIds.advanceExact(doc)) continue;
        BytesRef b = traceIds.lookupOrd(traceIds.ordValue());
        if (b.length == 16) {
          ids.add(TraceId.fromBytes(Arrays.copyOfRange(b.bytes, b.offset, b.offset + 16)));
        }
      }
    }
    Set<TraceId> straddling = new HashSet<>();
    List<TraceId> found = new ArrayList<>(ids);
    List<List<StoredSpan>> stored = readTraces(searcher.getIndexReader(), found);
    for (int i = 0; i < found.size(); i++) {
      boolean older = false;
      boolean newer = false;
      for (StoredSpan s : stored.get(i)) {
        if (s.start() < cutoff) older = true;
        else newer = true;
      }
      if (older && newer) straddling.add(found.get(i));
    }
    return straddling;
  }

  /** Answers whether live span documents still use a rollup entry. */
  private static final class IndexUse implements Rollups.StillUsed {
    private final IndexSearcher searcher;
    private final Rollups rollups;

    IndexUse(IndexSearcher searcher, Rollups rollups) {
      this.searcher = searcher;
      this.rollups = rollups;
    }

    private boolean any(Query... filters) {
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      for (Query q : filters) b.add(q, Occur.FILTER);
      try {
        return searcher.count(b.build()) > 0;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public boolean service(String service) {
      return any(new PrefixQuery(SpanDocuments.servicePrefix(service)));
    }

    @Override
    public boolean operation(String service, dev.spanwise.storage.Operation op) {
      return any(new PrefixQuery(SpanDocuments.servicePrefix(service)),
          new TermQuery(SpanDocuments.nameTerm(op.name())),
          new TermQuery(SpanDocuments.kindTerm(op.kind())));
    }

    @Override
    public boolean remoteService(String service, String remote) {
      Query remoteTerm = new BooleanQuery.Builder()
          .add(new TermQuery(SpanDocuments.attributeTerm(PEER_SERVICE, remote)), Occur.SHOULD)
          .add(new TermQuery(SpanDocuments.attributeTerm(SERVER_ADDRESS, remote)), Occur.SHOULD)
          .build();
      return any(new PrefixQuery(SpanDocuments.servicePrefix(service)), remoteTerm);
    }

    @Override
    public boolean attributeKey(String service, String key) {
      BooleanQuery.Builder keyTerm = new BooleanQuery.Builder()
          .add(new PrefixQuery(SpanDocuments.attributePrefix(key)), Occur.SHOULD)
          .add(new TermQuery(SpanDocuments.attributeNotIndexedTerm(key)), Occur.SHOULD);
      List<BytesRef> resources = new ArrayList<>();
      for (long id : rollups.resourceIds(r -> r.attributes().get(key) != null)) {
        resources.add(SpanDocuments.resourceTerm(id).bytes());
      }
      if (!resources.isEmpty()) {
        keyTerm.add(new TermInSetQuery(SpanDocuments.TERMS, resources), Occur.SHOULD);
      }
      return any(new PrefixQuery(SpanDocuments.servicePrefix(service)), keyTerm.build());
    }
  }

  public long diskBytes() throws IOException {
    long total = 0;
    for (String file : directory.listAll()) {
      try {
        total += directory.fileLength(file);
      } catch (IOException e) {
        // deleted by a merge meanwhile
      }
    }
    return total;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    try {
      commit();
    } finally {
      try {
        sink.close();
        searchers.close();
      } finally {
        try {
          writer.close();
        } finally {
          directory.close();
        }
      }
    }
  }

  /** Closes without committing, as a crash would (for tests). */
  public void abandon() throws IOException {
    try {
      sink.close();
      searchers.close();
    } finally {
      writer.rollback();
      directory.close();
    }
  }

  // ------------------------------------------------------------------ read

  /** A stored span: where it is and its encoded form. */
  private record StoredSpan(byte[] bytes, long start, long duration) {
    Span decode(Rollups rollups) {
      return SpanCodec.decode(bytes, 0, bytes.length, start, duration, rollups::resource,
          rollups.stringTable);
    }
  }

  private static final class SpanVisitor extends StoredFieldVisitor {
    byte[] bytes;

    @Override
    public Status needsField(FieldInfo fieldInfo) {
      if (fieldInfo.name.equals(SpanDocuments.SPAN)) return Status.YES;
      return bytes == null ? Status.NO : Status.STOP;
    }

    @Override
    public void binaryField(FieldInfo fieldInfo, byte[] value) {
      bytes = value;
    }
  }

  private List<StoredSpan> readTrace(IndexReader reader, TraceId traceId)
      throws IOException {
    return readTraces(reader, List.of(traceId)).get(0);
  }

  /**
   * The stored spans of each trace, in the order of {@code traceIds}. Each segment is read once
   * for all of them, in doc order, through one terms enum and one stored-fields reader, taken from
   * the pool: a fresh stored-fields reader allocates its decompression buffers anew, tens of
   * kilobytes each.
   */
  private List<List<StoredSpan>> readTraces(IndexReader reader, List<TraceId> traceIds)
      throws IOException {
    int n = traceIds.size();
    List<List<StoredSpan>> result = new ArrayList<>(n);
    BytesRef[] terms = new BytesRef[n];
    for (int i = 0; i < n; i++) {
      result.add(new ArrayList<>());
      terms[i] = SpanDocuments.traceIdTerm(traceIds.get(i));
    }
    Integer[] termOrder = new Integer[n]; // seeks in term order reuse the enum's frames
    for (int i = 0; i < n; i++) termOrder[i] = i;
    if (n > 1) Arrays.sort(termOrder, Comparator.comparing(i -> terms[i]));
    long[] hits = new long[16]; // doc << 32 | index of the trace
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader r = leaf.reader();
      Terms field = r.terms(SpanDocuments.TRACE_ID);
      if (field == null) continue;
      TermsEnum te = field.iterator();
      Bits live = r.getLiveDocs();
      PostingsEnum pe = null;
      int count = 0;
      for (int i : termOrder) {
        if (!te.seekExact(terms[i])) continue;
        pe = te.postings(pe, PostingsEnum.NONE);
        for (int doc = pe.nextDoc(); doc != PostingsEnum.NO_MORE_DOCS; doc = pe.nextDoc()) {
          if (live != null && !live.get(doc)) continue;
          if (count == hits.length) hits = Arrays.copyOf(hits, count * 2);
          hits[count++] = ((long) doc << 32) | i;
        }
      }
      if (count == 0) continue;
      Arrays.sort(hits, 0, count); // doc values only move forward
      StoredFields stored = storedFieldsPool.take(r);
      NumericDocValues starts = DocValues.getNumeric(r, SpanDocuments.START);
      NumericDocValues durations = DocValues.getNumeric(r, SpanDocuments.DURATION);
      for (int h = 0; h < count; h++) {
        int doc = (int) (hits[h] >>> 32);
        result.get((int) hits[h]).add(readSpan(stored, starts, durations, doc));
      }
      storedFieldsPool.give(r, stored); // not on failure: a reader in an unknown state is dropped
    }
    return result;
  }

  private static StoredSpan readSpan(StoredFields stored, NumericDocValues starts,
      NumericDocValues durations, int doc) throws IOException {
    SpanVisitor visitor = new SpanVisitor();
    stored.document(doc, visitor);
    if (visitor.bytes == null) throw new IllegalStateException("span document without span");
    long start = starts.advanceExact(doc) ? starts.longValue() : 0;
    long duration = durations.advanceExact(doc) ? durations.longValue() : 0;
    return new StoredSpan(visitor.bytes, start, duration);
  }

  private static final Comparator<Span> BY_START = Comparator
      .comparingLong(Span::startEpochNanos)
      .thenComparing(Span::parentSpanId, Long::compareUnsigned)
      .thenComparing(Span::spanId, Long::compareUnsigned)
      .thenComparing(Span::kind);

  /** The trace's spans, ordered by start, one per (span id, kind). */
  public List<Span> getTrace(TraceId traceId) throws IOException {
    beforeRead();
    IndexSearcher searcher = searchers.acquire();
    try {
      return trace(searcher.getIndexReader(), traceId);
    } finally {
      searchers.release(searcher);
    }
  }

  /** The traces that exist, in the order asked, each as {@link #getTrace} gives it. */
  public List<List<Span>> getTraces(List<TraceId> traceIds) throws IOException {
    beforeRead();
    IndexSearcher searcher = searchers.acquire();
    try {
      List<List<StoredSpan>> stored = readTraces(searcher.getIndexReader(), traceIds);
      List<List<Span>> traces = new ArrayList<>(stored.size());
      for (List<StoredSpan> trace : stored) {
        if (!trace.isEmpty()) traces.add(decode(trace));
      }
      return traces;
    } finally {
      searchers.release(searcher);
    }
  }

  private List<Span> trace(IndexReader reader, TraceId traceId) throws IOException {
    return decode(readTrace(reader, traceId));
  }

  /** Decoded spans ordered by start, one per (span id, kind). */
  private List<Span> decode(List<StoredSpan> stored) {
    List<Span> spans = new ArrayList<>(stored.size());
    Set<Long> seen = stored.size() > 1 ? new HashSet<>() : null;
    for (StoredSpan s : stored) {
      Span span = s.decode(rollups);
      if (seen != null && !seen.add(span.spanId() * 8 + span.kind().ordinal())) continue;
      spans.add(span);
    }
    spans.sort(BY_START);
    return spans;
  }

  /**
   * Finds the newest traces with a matching span. The window is searched in slices from its end
   * backwards, so a query with plenty of matches reads only the newest part of it: the first slice
   * ends at the newest span in the index (a window reaching into the future starts where the data
   * is) and covers 1/256 of the window, between 1 and 10 seconds; each next slice is 4 times
   * wider, or 16 times after a slice that found nothing. Within a slice hits come newest first.
   */
  public List<TraceSummary> search(TraceQuery q) throws IOException {
    beforeRead();
    boolean verify = needsCheck(q);
    IndexSearcher searcher = searchers.acquire();
    try {
      IndexReader reader = searcher.getIndexReader();
      Set<TraceId> traceIds = new LinkedHashSet<>();
      int wanted = q.limit();
      long windowStart = q.startEpochNanos();
      long sliceEnd = Math.min(q.endEpochNanos(), newestStart(reader));
      long width = firstSliceWidth(windowStart, sliceEnd);
      while (traceIds.size() < wanted && sliceEnd >= windowStart) {
        long sliceStart = Math.max(windowStart, sliceEnd - width + 1);
        if (sliceEnd - width + 1 > sliceEnd) sliceStart = windowStart; // overflow
        int before = traceIds.size();
        collect(searcher, reader, toLuceneQuery(q, sliceStart, sliceEnd), verify ? q : null,
            wanted, traceIds);
        if (sliceStart == windowStart) break;
        sliceEnd = sliceStart - 1;
        int growth = traceIds.size() == before ? 16 : 4;
        width = width > Long.MAX_VALUE / growth ? Long.MAX_VALUE : width * growth;
      }
      List<TraceSummary> summaries = new ArrayList<>(traceIds.size());
      for (TraceId id : traceIds) {
        TraceSummary summary = summary(reader, id);
        if (summary != null) summaries.add(summary);
      }
      summaries.sort(Comparator.comparingLong(TraceSummary::startEpochNanos).reversed()
          .thenComparing(TraceSummary::traceId));
      return summaries;
    } finally {
      searchers.release(searcher);
    }
  }

  /** The width of a search's first slice: 1/256 of the window, at least 1 s, at most 10 s. */
  static long firstSliceWidth(long windowStart, long windowEnd) {
    long range = windowEnd - windowStart;
    if (range < 0) range = Long.MAX_VALUE; // overflow: the widest window there is
    return Math.min(Math.max(range / 256, SpanDocuments.NANOS_PER_SECOND),
        10 * SpanDocuments.NANOS_PER_SECOND);
  }

  /**
   * The last nanosecond of the newest start second in the index, from each segment's largest start
   * point (deleted spans included); {@link Long#MIN_VALUE} when there is no span.
   */
  private static long newestStart(IndexReader reader) throws IOException {
    long newestSecond = Long.MIN_VALUE;
    for (LeafReaderContext leaf : reader.leaves()) {
      PointValues points = leaf.reader().getPointValues(SpanDocuments.START_SECOND);
      if (points == null || points.size() == 0) continue;
      newestSecond = Math.max(newestSecond, LongPoint.decodeDimension(points.getMaxPackedValue(), 0));
    }
    if (newestSecond == Long.MIN_VALUE) return Long.MIN_VALUE;
    if (newestSecond >= Long.MAX_VALUE / SpanDocuments.NANOS_PER_SECOND) return Long.MAX_VALUE;
    return newestSecond * SpanDocuments.NANOS_PER_SECOND + (SpanDocuments.NANOS_PER_SECOND - 1);
  }

  /** Adds the traces of hits, newest first, until {@code wanted} traces are known. */
  private void collect(IndexSearcher searcher, IndexReader reader, Query query, TraceQuery check,
      int wanted, Set<TraceId> traceIds) throws IOException {
    int n = Math.min(Math.max(wanted * 8, 64), 50_000);
    ScoreDoc after = null;
    while (traceIds.size() < wanted) {
      TopDocs top = after == null
          ? searcher.search(query, n, NEWEST_FIRST)
          : searcher.searchAfter(after, query, n, NEWEST_FIRST);
      TraceId[] ids = traceIdsOf(reader, top.scoreDocs, check);
      for (TraceId id : ids) {
        if (id == null) continue;
        traceIds.add(id);
        if (traceIds.size() >= wanted) return;
      }
      if (top.scoreDocs.length < n) return;
      after = top.scoreDocs[top.scoreDocs.length - 1];
      n = Math.min(n * 4, 200_000);
    }
  }

  /**
   * The trace id of each hit, read from doc values in doc order; null for a hit whose span does
   * not meet {@code check} (when given).
   */
  private TraceId[] traceIdsOf(IndexReader reader, ScoreDoc[] hits, TraceQuery check)
      throws IOException {
    TraceId[] ids = new TraceId[hits.length];
    Integer[] order = new Integer[hits.length];
    for (int i = 0; i < hits.length; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingInt(i -> hits[i].doc));
    List<LeafReaderContext> leaves = reader.leaves();
    int leafIndex = -1;
    LeafReaderContext leaf = null;
    SortedDocValues traceIds = null;
    StoredFields stored = null;
    NumericDocValues starts = null;
    NumericDocValues durations = null;
    byte[] idBytes = new byte[16];
    for (int i : order) {
      int global = hits[i].doc;
      if (leaf == null || global >= leaf.docBase + leaf.reader().maxDoc()) {
        leafIndex = ReaderUtil.subIndex(global, leaves);
        leaf = leaves.get(leafIndex);
        traceIds = DocValues.getSorted(leaf.reader(), SpanDocuments.TRACE_ID);
        if (check != null) {
          stored = leaf.reader().storedFields();
          starts = DocValues.getNumeric(leaf.reader(), SpanDocuments.START);
          durations = DocValues.getNumeric(leaf.reader(), SpanDocuments.DURATION);
        }
      }
      int doc = global - leaf.docBase;
      if (!traceIds.advanceExact(doc)) continue;
      if (check != null
          && !matches(readSpan(stored, starts, durations, doc).decode(rollups), check)) {
        continue;
      }
      BytesRef term = traceIds.lookupOrd(traceIds.ordValue());
      if (term.length != 16) continue;
      System.arraycopy(term.bytes, term.offset, idBytes, 0, 16);
      ids[i] = TraceId.fromBytes(idBytes);
    }
    return ids;
  }

  /**
   * Whether the index alone may over-match the query's attribute filters: a key or value with
   * '=' (the term separator), a value longer than what is indexed, or presence of a key whose
   * long values are indexed as {@code key\0}. Then each hit's span is checked.
   */
  private boolean needsCheck(TraceQuery q) {
    for (AttributeFilter f : q.attributeFilters()) {
      if (f.value() == null || f.key().indexOf('=') >= 0) return true;
      if (f.value() != null && (f.value().indexOf('=') >= 0 || !documents.indexable(f.value()))) {
        return true;
      }
    }
    return false;
  }

  /** The query's conditions, for spans that start in [{@code start}, {@code end}]. */
  private Query toLuceneQuery(TraceQuery q, long start, long end) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(LongPoint.newRangeQuery(SpanDocuments.START_SECOND,
        SpanDocuments.second(start), SpanDocuments.second(end)), Occur.FILTER);
    b.add(NumericDocValuesField.newSlowRangeQuery(SpanDocuments.START, start, end),
        Occur.FILTER);
    if (q.serviceName() != null) {
      String service = q.serviceName();
      long first = SpanDocuments.timeBucket(start);
      long last = SpanDocuments.timeBucket(end);
      if (last - first < 1024) {
        List<BytesRef> buckets = new ArrayList<>();
        for (long bucket = first; bucket <= last; bucket++) {
          buckets.add(SpanDocuments.serviceTimeTerm(service, bucket).bytes());
        }
        b.add(buckets.size() == 1
            ? new TermQuery(new Term(SpanDocuments.TERMS, buckets.get(0)))
            : new TermInSetQuery(SpanDocuments.TERMS, buckets), Occur.FILTER);
      } else {
        b.add(new PrefixQuery(SpanDocuments.servicePrefix(service)), Occur.FILTER);
      }
    }
    if (q.spanName() != null) {
      b.add(new TermQuery(SpanDocuments.nameTerm(q.spanName())), Occur.FILTER);
    }
    if (q.spanKind() != null) {
      b.add(new TermQuery(SpanDocuments.kindTerm(q.spanKind())), Occur.FILTER);
    }
    if (q.errorOnly()) {
      b.add(new TermQuery(SpanDocuments.errorTerm()), Occur.FILTER);
    }
    for (AttributeFilter f : q.attributeFilters()) {
      BooleanQuery.Builder any = new BooleanQuery.Builder();
      Term notIndexed = SpanDocuments.attributeNotIndexedTerm(f.key());
      if (f.value() == null) {
        any.add(new PrefixQuery(SpanDocuments.attributePrefix(f.key())), Occur.SHOULD);
        any.add(new TermQuery(notIndexed), Occur.SHOULD);
      } else if (documents.indexable(f.value())) {
        any.add(new TermQuery(SpanDocuments.attributeTerm(f.key(), f.value())), Occur.SHOULD);
      } else {
        any.add(new TermQuery(notIndexed), Occur.SHOULD);
      }
      // Resources that have the attribute; with a service asked, only that service's resources
      // (a span's service is its resource's): a short list Lucene can intersect lazily.
      String service = q.serviceName();
      List<BytesRef> resources = new ArrayList<>();
      int ofService = 0;
      for (long id : rollups.resourceIds(r -> service == null || service.equals(r.serviceName()))) {
        ofService++;
        if (matches(rollups.resource(id).attributes(), f)) {
          resources.add(SpanDocuments.resourceTerm(id).bytes());
        }
      }
      if (service != null && ofService > 0 && resources.size() == ofService) {
        continue; // every resource of the service has it: every span of the service matches
      }
      if (!resources.isEmpty()) {
        any.add(new TermInSetQuery(SpanDocuments.TERMS, resources), Occur.SHOULD);
      }
      b.add(any.build(), Occur.FILTER);
    }
    if (q.hasDurationFilter()) {
      b.add(NumericDocValuesField.newSlowRangeQuery(SpanDocuments.DURATION,
          q.minDurationNanos(), q.maxDurationNanos()), Occur.FILTER);
    }
    return new ConstantScoreQuery(b.build());
  }

  /** Whether one span meets every condition of the query (the exact check after the index). */
  static boolean matches(Span span, TraceQuery q) {
    if (q.serviceName() != null && !q.serviceName().equals(span.serviceName())) return false;
    if (q.spanName() != null && !q.spanName().equals(span.name())) return false;
    if (q.spanKind() != null && q.spanKind() != span.kind()) return false;
    if (q.errorOnly() && !span.isError()) return false;
    long d = span.durationNanos();
    if (d < q.minDurationNanos() || d > q.maxDurationNanos()) return false;
    long s = span.startEpochNanos();
    if (s < q.startEpochNanos() || s > q.endEpochNanos()) return false;
    for (AttributeFilter f : q.attributeFilters()) {
      if (!matches(span.attributes(), f) && !matches(span.resource().attributes(), f)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(Attributes attributes, AttributeFilter f) {
    AttributeValue v = attributes.get(f.key());
    if (v == null) return false;
    return f.value() == null || f.value().equals(v.asText());
  }

  /**
   * The summary of a trace from doc values alone (service and name ids, root and error flags,
   * start, duration); a span whose service or name has no id in the string table is read from its
   * stored form. Null when the trace has no spans.
   */
  private TraceSummary summary(IndexReader reader, TraceId traceId) throws IOException {
    BytesRef term = SpanDocuments.traceIdTerm(traceId);
    int spanCount = 0;
    int errors = 0;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    Map<String, Integer> byService = new TreeMap<>();
    // the root (earliest root span; else the earliest span)
    boolean rootIsRoot = false;
    long rootStart = Long.MAX_VALUE;
    String rootService = null;
    String rootName = null;
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader r = leaf.reader();
      Terms terms = r.terms(SpanDocuments.TRACE_ID);
      if (terms == null) continue;
      TermsEnum te = terms.iterator();
      if (!te.seekExact(term)) continue;
      PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
      Bits live = r.getLiveDocs();
      NumericDocValues services = DocValues.getNumeric(r, SpanDocuments.SERVICE_ID);
      NumericDocValues names = DocValues.getNumeric(r, SpanDocuments.NAME_ID);
      NumericDocValues starts = DocValues.getNumeric(r, SpanDocuments.START);
      NumericDocValues durations = DocValues.getNumeric(r, SpanDocuments.DURATION);
      NumericDocValues flags = DocValues.getNumeric(r, SpanDocuments.FLAGS);
      StoredFields stored = null;
      for (int doc = pe.nextDoc(); doc != PostingsEnum.NO_MORE_DOCS; doc = pe.nextDoc()) {
        if (live != null && !live.get(doc)) continue;
        long s = starts.advanceExact(doc) ? starts.longValue() : 0;
        long d = durations.advanceExact(doc) ? durations.longValue() : 0;
        long f = flags.advanceExact(doc) ? flags.longValue() : 0;
        String service = services.advanceExact(doc) ? string(services.longValue()) : null;
        String name = names.advanceExact(doc) ? string(names.longValue()) : null;
        if (service == null || name == null) { // no id: read the span itself
          if (stored == null) stored = r.storedFields();
          Span span = readSpan(stored, starts, durations, doc).decode(rollups);
          service = SpanDocuments.capped(span.serviceName());
          name = SpanDocuments.capped(span.name());
        }
        spanCount++;
        if ((f & SpanDocuments.FLAG_ERROR) != 0) errors++;
        start = Math.min(start, s);
        end = Math.max(end, s + d);
        byService.merge(service, 1, Integer::sum);
        boolean isRoot = (f & SpanDocuments.FLAG_ROOT) != 0;
        if ((isRoot && !rootIsRoot) || (isRoot == rootIsRoot && s < rootStart)) {
          rootIsRoot = isRoot;
          rootStart = s;
          rootService = service;
          rootName = name;
        }
      }
    }
    if (spanCount == 0) return null;
    return TraceSummary.builder()
        .traceId(traceId)
        .rootServiceName(rootService)
        .rootSpanName(rootName)
        .startEpochNanos(start)
        .durationNanos(end - start)
        .spanCount(spanCount)
        .errorCount(errors)
        .spanCountByService(byService)
        .build();
  }

  /** The string of a {@link SpanDocuments#SERVICE_ID} or {@link SpanDocuments#NAME_ID}; null: none. */
  private String string(long idPlusOne) {
    return idPlusOne <= 0 ? null : rollups.stringTable.string((int) (idPlusOne - 1));
  }

  /** Attribute values for autocomplete: the terms of {@code key=prefix...}. */
  public List<String> attributeValues(String key, String prefix, int limit) throws IOException {
    beforeRead();
    IndexSearcher searcher = searchers.acquire();
    try {
      if (limit <= 0) return List.of();
      Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), SpanDocuments.TERMS);
      String head = SpanDocuments.ATTRIBUTE + key + '=';
      BytesRef start = new BytesRef(head + (prefix == null ? "" : prefix));
      TermsEnum te = terms == null ? TermsEnum.EMPTY : terms.iterator();
      TreeSet<String> values = new TreeSet<>();
      String wanted = prefix == null ? "" : prefix;
      rollups.resourceIds(r -> {
        AttributeValue v = r.attributes().get(key);
        if (v != null) {
          String text = v.asText();
          if (text.startsWith(wanted)) values.add(text);
        }
        return false;
      });
      if (te.seekCeil(start) != TermsEnum.SeekStatus.END) {
        int seen = 0;
        for (BytesRef t = te.term(); t != null; t = te.next()) {
          if (!startsWith(t, start)) break;
          values.add(t.utf8ToString().substring(head.length()));
          if (++seen >= limit) break;
        }
      }
      List<String> sorted = new ArrayList<>(values);
      return sorted.size() > limit ? sorted.subList(0, limit) : sorted;
    } finally {
      searchers.release(searcher);
    }
  }

  private static boolean startsWith(BytesRef term, BytesRef prefix) {
    if (term.length < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (term.bytes[term.offset + i] != prefix.bytes[prefix.offset + i]) return false;
    }
    return true;
  }
}
