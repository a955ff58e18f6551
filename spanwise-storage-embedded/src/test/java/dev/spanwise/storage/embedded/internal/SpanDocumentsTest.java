package dev.spanwise.storage.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.IndexableField;
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

  /**
   * A span's attribute terms are what a search for {@code key=value} looks up: the bytes Lucene
   * makes of {@code key=} and the value's text, or the not-indexed marker past the length limit.
   */
  @Test
  void attributeTermsAreTheQueryTermsOfTheirText() throws Exception {
    int limit = 12;
    List<AttributeValue> values = new ArrayList<>(List.of(
        AttributeValue.of(""), AttributeValue.of("GET"), AttributeValue.of("q=a?b"),
        AttributeValue.of("caf\u00e9"), AttributeValue.of("lone \ud83d"),
        AttributeValue.of("exactly12chr"), AttributeValue.of("thirteen chrs"),
        AttributeValue.of(true), AttributeValue.of(false), AttributeValue.of(2.5),
        AttributeValue.ofBytes(new byte[] {1, 2, 3}),
        AttributeValue.ofArray(List.of(AttributeValue.of("a"), AttributeValue.of(1L)))));
    for (long v : new long[] {0, 7, -7, 10, 200, -1_000_000, 999_999_999_999L,
        1_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE}) {
      values.add(AttributeValue.of(v));
    }
    SpanDocuments documents = new SpanDocuments(limit, new Rollups().stringTable);
    for (String key : List.of("k", "http.status_code", "cl\u00e9")) {
      for (AttributeValue value : values) {
        String text = value.asText();
        BytesRef expected = text.length() <= limit
            ? SpanDocuments.attributeTerm(key, text).bytes()
            : SpanDocuments.attributeNotIndexedTerm(key).bytes();
        assertThat(attributeTerms(documents, Attributes.builder().put(key, value).build()))
            .as("%s=%s", key, text)
            .containsExactly(expected);
      }
    }
  }

  @Test
  void decimalDigitsAreLongToString() {
    for (long v : new long[] {0, 1, -1, 9, 10, -10, 99, 100, 123_456_789, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
      byte[] b = new byte[SpanDocuments.decimalLength(v) + 2];
      SpanDocuments.writeDecimal(v, b, b.length - 1);
      assertThat(new String(b, 1, b.length - 2, StandardCharsets.US_ASCII))
          .isEqualTo(Long.toString(v));
    }
  }

  /** The attribute terms of a span with {@code attributes}, read back from its document. */
  private static List<BytesRef> attributeTerms(SpanDocuments documents, Attributes attributes)
      throws Exception {
    Span span = Span.builder()
        .traceId(TraceId.of(1, 2))
        .spanId(3)
        .resource(Resource.ofServiceName("svc"))
        .name("op")
        .startEpochNanos(1_700_000_000_000_000_000L)
        .endEpochNanos(1_700_000_000_001_000_000L)
        .attributes(attributes)
        .build();
    List<BytesRef> terms = new ArrayList<>();
    for (IndexableField field : documents.toDocument(span, 0, span.startEpochNanos(),
        span.startEpochNanos())) {
      if (!field.name().equals(SpanDocuments.TERMS)) continue;
      try (TokenStream stream = field.tokenStream(null, null)) {
        TermToBytesRefAttribute term = stream.getAttribute(TermToBytesRefAttribute.class);
        stream.reset();
        while (stream.incrementToken()) {
          BytesRef t = BytesRef.deepCopyOf(term.getBytesRef());
          if (t.length > 0 && t.bytes[t.offset] == SpanDocuments.ATTRIBUTE) {
            // the resource's service.name is an attribute term too; keep the span's own
            String s = t.utf8ToString();
            if (!s.startsWith("aservice.name")) terms.add(t);
          }
        }
        stream.end();
      }
    }
    return terms;
  }
}
