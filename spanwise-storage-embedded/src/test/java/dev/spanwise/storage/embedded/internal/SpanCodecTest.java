package dev.spanwise.storage.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.InstrumentationScope;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import dev.spanwise.model.Status;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanCodecTest {
  static Span fullSpan() {
    long start = 1_767_225_600_123_456_789L;
    return Span.builder()
        .resource(Resource.of(Attributes.builder().put("service.name", "checkout")
            .put("host.name", "node-1").build(), 2))
        .scope(InstrumentationScope.of("io.spanwise", "1.2.3",
            Attributes.of("scope.attr", "x")))
        .traceId(TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"))
        .spanId(0xb7ad6b7169203331L)
        .parentSpanId(-42L)
        .traceState("rojo=00f067aa0ba902b7")
        .name("POST /charge ü")
        .kind(SpanKind.CLIENT)
        .startEpochNanos(start)
        .endEpochNanos(start + 12_345_678)
        .attributes(Attributes.builder()
            .put("s", "text")
            .put("empty", "")
            // ASCII is written a byte a char, the rest through UTF-8; lengths of 1 and 2 bytes
            .put("ascii127", "x".repeat(127))
            .put("ascii128", "y".repeat(128))
            .put("late non-ASCII", "abcdef\u00e9")
            .put("long late non-ASCII", "z".repeat(200) + "\u00e9")
            .put("nul", "a\u0000b")
            .put("l", -7L)
            .put("big", Long.MIN_VALUE)
            .put("d", 3.25)
            .put("b", true)
            .put("f", false)
            .put("bytes", AttributeValue.ofBytes(new byte[] {1, 2, 3}))
            .put("array", AttributeValue.ofArray(List.of(AttributeValue.of("a"),
                AttributeValue.of(2L))))
            .put("map", AttributeValue.ofMap(Attributes.of("k", "v")))
            .build())
        .addEvent(SpanEvent.of(start + 1000, "exception",
            Attributes.of("exception.type", "IOException"), 1))
        .addEvent(SpanEvent.of(start - 5, "before start", Attributes.EMPTY))
        .addLink(SpanLink.of(TraceId.of(0, 99), 7, "a=b", Attributes.of("l", "1"), 3, 1))
        .status(Status.error("card declined"))
        .flags(0x301)
        .droppedAttributesCount(4)
        .droppedEventsCount(5)
        .droppedLinksCount(6)
        .build();
  }

  @Test
  void roundTripsEveryField() {
    Span span = fullSpan();
    byte[] bytes = SpanCodec.encode(span);

    Span decoded = SpanCodec.decode(bytes, 0, bytes.length, span.startEpochNanos(),
        span.durationNanos());

    assertThat(decoded).isEqualTo(span);
    assertThat(SpanCodec.traceId(bytes, 0, bytes.length)).isEqualTo(span.traceId());
  }

  @Test
  void keysAndNamesGoThroughTheStringTableAndResourcesByReference() {
    Span span = fullSpan();
    ListTable strings = new ListTable(null);
    List<String> table = strings.table;
    byte[] inline = SpanCodec.encode(span);
    byte[] bytes = SpanCodec.encode(span, 77, strings);

    Span decoded = SpanCodec.decode(bytes, 0, bytes.length, span.startEpochNanos(),
        span.durationNanos(), id -> id == 77 ? span.resource() : null, strings);

    assertThat(decoded).isEqualTo(span);
    assertThat(table).contains("POST /charge ü", "exception", "io.spanwise", "map", "k");
    assertThat(bytes.length).isLessThan(inline.length - 60);
  }

  /**
   * A writer that encodes span after span asks the table once per string it remembers, and
   * writes the same bytes as one that asks every time; a string the table refuses is asked again.
   */
  @Test
  void aRememberingWriterAsksTheTableOncePerString() {
    Span span = fullSpan();
    ListTable strings = new ListTable("s"); // as for a string too long for the table
    Map<String, Integer> asked = strings.asked;
    SpanCodec.Writer remembering = SpanCodec.Writer.remembering(64, strings);
    for (int i = 0; i < 3; i++) {
      SpanCodec.encodeInto(span, 77, remembering);
      assertThat(remembering.toBytes()).isEqualTo(SpanCodec.encode(span, 77, strings));
    }
    // the first pass asked once per string; the three plain encodes and "s" ask every time
    assertThat(asked.get("POST /charge \u00fc")).isEqualTo(1 + 3);
    assertThat(asked.get("map")).isEqualTo(1 + 3);
    assertThat(asked.get("s")).isEqualTo(3 + 3);
  }

  @Test
  void decodesFromAnOffset() {
    Span span = fullSpan();
    byte[] bytes = SpanCodec.encode(span);
    byte[] padded = new byte[bytes.length + 10];
    System.arraycopy(bytes, 0, padded, 7, bytes.length);

    assertThat(SpanCodec.decode(padded, 7, bytes.length, span.startEpochNanos(),
        span.durationNanos())).isEqualTo(span);
  }

  @Test
  void minimalSpanIsSmall() {
    Span span = Span.builder().traceId(TraceId.of(1, 2)).spanId(3).name("x").build();
    byte[] bytes = SpanCodec.encode(span);

    assertThat(bytes.length).isLessThan(60);
    assertThat(SpanCodec.decode(bytes, 0, bytes.length, 0, 0)).isEqualTo(span);
  }

  @Test
  void truncatedInputIsAnError() {
    byte[] bytes = SpanCodec.encode(fullSpan());

    assertThatThrownBy(() -> SpanCodec.decode(Arrays.copyOf(bytes, bytes.length - 3), 0,
        bytes.length - 3, 0, 0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("truncated");
  }

  /** A string table in a list, counting what it is asked; it refuses {@code refused}. */
  private static final class ListTable implements SpanCodec.Strings {
    final List<String> table = new ArrayList<>();
    final Map<String, Integer> asked = new HashMap<>();
    private final String refused;

    ListTable(String refused) {
      this.refused = refused;
    }

    @Override
    public int id(String s) {
      asked.merge(s, 1, Integer::sum);
      if (s.equals(refused)) return -1;
      int i = table.indexOf(s);
      if (i >= 0) return i;
      table.add(s);
      return table.size() - 1;
    }

    @Override
    public String string(int id) {
      return id < table.size() ? table.get(id) : null;
    }
  }
}
