package dev.spanwise.storage.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

class StoredFieldsPoolTest {

  @Test
  void aReaderGivenBackIsTakenAgainForItsSegmentOnly() throws Exception {
    try (Directory dir = twoSegments(); DirectoryReader reader = DirectoryReader.open(dir)) {
      LeafReader first = reader.leaves().get(0).reader();
      LeafReader second = reader.leaves().get(1).reader();
      StoredFieldsPool pool = new StoredFieldsPool();

      StoredFields taken = pool.take(first);
      assertThat(pool.take(first)).isNotSameAs(taken); // not given back yet: a new one
      pool.give(first, taken);

      assertThat(pool.take(second)).isNotSameAs(taken);
      StoredFields again = pool.take(first);
      assertThat(again).isSameAs(taken);
      assertThat(again.document(0).get("v")).isEqualTo("s0-d0");
      assertThat(pool.take(first)).isNotSameAs(taken); // taken twice: the pool is empty
    }
  }

  @Test
  void aSegmentKeepsAtMostItsShare() throws Exception {
    try (Directory dir = twoSegments(); DirectoryReader reader = DirectoryReader.open(dir)) {
      LeafReader segment = reader.leaves().get(0).reader();
      StoredFieldsPool pool = new StoredFieldsPool();
      List<StoredFields> given = new ArrayList<>();
      for (int i = 0; i < StoredFieldsPool.PER_SEGMENT + 2; i++) given.add(pool.take(segment));
      for (StoredFields f : given) pool.give(segment, f);

      List<StoredFields> back = new ArrayList<>();
      for (int i = 0; i < StoredFieldsPool.PER_SEGMENT + 2; i++) back.add(pool.take(segment));
      assertThat(back.subList(0, StoredFieldsPool.PER_SEGMENT))
          .containsExactlyElementsOf(given.subList(0, StoredFieldsPool.PER_SEGMENT));
      assertThat(back.subList(StoredFieldsPool.PER_SEGMENT, back.size()))
          .doesNotContainAnyElementsOf(given);
    }
  }

  @Test
  void aClosedSegmentsReadersAreDropped() throws Exception {
    StoredFieldsPool pool = new StoredFieldsPool();
    try (Directory dir = twoSegments()) {
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        for (var leaf : reader.leaves()) pool.give(leaf.reader(), pool.take(leaf.reader()));
        assertThat(pool.segments()).isEqualTo(2);
      }
      assertThat(pool.segments()).isZero();
    }
  }

  private static Directory twoSegments() throws Exception {
    Directory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      for (int segment = 0; segment < 2; segment++) {
        for (int doc = 0; doc < 3; doc++) {
          Document d = new Document();
          d.add(new StoredField("v", "s" + segment + "-d" + doc));
          w.addDocument(d);
        }
        w.commit(); // a segment per commit (no merges this small)
      }
    }
    return dir;
  }
}
