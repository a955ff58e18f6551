package dev.spanwise.storage.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

class DocumentSinkTest {
  private static List<Iterable<IndexableField>> batch(int from, int count) {
    List<Iterable<IndexableField>> docs = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      docs.add(List.of(new StringField("id", Integer.toString(i), Field.Store.NO)));
    }
    return docs;
  }

  @Test
  void drainWaitsUntilEverySubmittedBatchIsInTheWriter() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
      DocumentSink sink = new DocumentSink(writer, "test-sink");
      for (int b = 0; b < 50; b++) sink.submit(batch(b * 100, 100));
      sink.drain();
      // a near-real-time reader opened after the drain sees all of them
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        assertThat(reader.numDocs()).isEqualTo(5000);
      }
      sink.close();
    }
  }

  @Test
  void aFailedAddIsReportedByEveryLaterCall() throws IOException {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig());
    DocumentSink sink = new DocumentSink(writer, "test-sink");
    writer.close(); // the sink's next add fails: the writer is gone

    sink.submit(batch(0, 1));
    assertThatThrownBy(sink::drain).isInstanceOf(IOException.class)
        .hasMessageContaining("must be reopened");
    assertThatThrownBy(() -> sink.submit(batch(1, 1))).isInstanceOf(IOException.class);
    assertThatThrownBy(sink::close).isInstanceOf(IOException.class);
    dir.close();
  }

  @Test
  void closeAddsWhatWasSubmittedThenRefusesMore() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
      DocumentSink sink = new DocumentSink(writer, "test-sink");
      sink.submit(batch(0, 10));
      sink.close();
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        assertThat(reader.numDocs()).isEqualTo(10);
      }
      assertThatThrownBy(() -> sink.submit(batch(10, 1))).isInstanceOf(IOException.class)
          .hasMessageContaining("closed");
    }
  }
}
