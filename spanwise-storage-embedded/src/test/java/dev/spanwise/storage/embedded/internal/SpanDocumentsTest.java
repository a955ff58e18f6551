package dev.spanwise.storage.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class SpanDocumentsTest {
  /** Index terms must be the bytes Lucene makes of the same string in a query term. */
  @Test
  void utf8TermsAreTheBytesLuceneMakesOfTheString() {
    List<String> strings = List.of("", "http.route=/api/v1/products", "q=a?b", "?",
        "caf\u00e9", "\u65e5\u672c", "emoji \ud83d\ude00", "lone high \ud83d end",
        "lone low \ude00", "nul\u0000byte", "del\u007f");
    for (String s : strings) {
      assertThat(SpanDocuments.utf8(s)).as(s).isEqualTo(new BytesRef(s));
    }
  }
}
