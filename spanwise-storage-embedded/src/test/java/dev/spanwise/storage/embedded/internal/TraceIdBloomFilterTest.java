package dev.spanwise.storage.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.model.TraceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.perfield.PerFieldPostingsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace id field is written with a Bloom filter in front of its terms, and an index written
 * before that (plain postings) opens, is searched and merges into the new format.
 */
class TraceIdBloomFilterTest {
  @TempDir Path dir;

  @Test
  void segmentsOfEitherFormatAreReadAndMergesWriteTheFilter() throws Exception {
    TraceId before = TraceId.of(1, 2);
    TraceId after = TraceId.of(3, 4);
    try (Directory directory = FSDirectory.open(dir)) {
      try (IndexWriter w = writer(directory, new Lucene912Codec(Lucene912Codec.Mode.BEST_SPEED))) {
        w.addDocument(span(before));
        w.commit();
      }
      try (IndexWriter w = writer(directory, TenantIndex.codec())) {
        w.addDocument(span(after));
        w.commit();
        try (DirectoryReader r = DirectoryReader.open(directory)) {
          assertThat(traceIdFormats(r)).containsExactly("Lucene912", "BloomFilter");
          assertFound(r, before, after);
        }
        w.forceMerge(1);
        w.commit();
      }
      try (DirectoryReader r = DirectoryReader.open(directory)) {
        assertThat(traceIdFormats(r)).containsExactly("BloomFilter");
        assertFound(r, before, after);
        assertThat(r.docFreq(new Term(SpanDocuments.TRACE_ID,
            SpanDocuments.traceIdTerm(TraceId.of(5, 6))))).isZero();
      }
    }
  }

  private static IndexWriter writer(Directory directory, Codec codec) throws Exception {
    return new IndexWriter(directory, new IndexWriterConfig().setCodec(codec));
  }

  private static Document span(TraceId traceId) {
    Document doc = new Document();
    doc.add(new Field(SpanDocuments.TRACE_ID, SpanDocuments.traceIdTerm(traceId),
        SpanDocuments.TRACE_ID_TYPE));
    return doc;
  }

  private static List<String> traceIdFormats(DirectoryReader r) {
    List<String> formats = new ArrayList<>();
    for (LeafReaderContext leaf : r.leaves()) {
      formats.add(leaf.reader().getFieldInfos().fieldInfo(SpanDocuments.TRACE_ID)
          .getAttribute(PerFieldPostingsFormat.PER_FIELD_FORMAT_KEY));
    }
    return formats;
  }

  private static void assertFound(DirectoryReader r, TraceId... traceIds) throws Exception {
    for (TraceId id : traceIds) {
      assertThat(r.docFreq(new Term(SpanDocuments.TRACE_ID, SpanDocuments.traceIdTerm(id))))
          .as(id.toString()).isEqualTo(1);
    }
  }
}
