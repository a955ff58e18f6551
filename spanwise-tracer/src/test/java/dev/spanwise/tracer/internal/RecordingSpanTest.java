package dev.spanwise.tracer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Event;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanLimits;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SimpleSpanProcessor;
import dev.spanwise.tracer.export.SpanData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The span's one-array attribute storage and its compare-and-set lock. */
class RecordingSpanTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracer tracer = tracer(SpanLimits.defaults());

  private Tracer tracer(SpanLimits limits) {
    return Tracer.builder().spanLimits(limits)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  }

  @AfterEach
  void close() {
    tracer.close();
  }

  @Test
  void attributesGrowPastTheFirstArrayInOrderAndKeysAreMatchedByValue() {
    Span span = tracer.startSpan("many");
    for (int i = 0; i < 40; i++) {
      span.setAttribute("key." + i, (long) i);
    }
    // equal keys that are other String instances replace, in place
    span.setAttribute(new String("key.0"), "zero").setAttribute(new String("key.39"), true);
    span.end();
    RecordingSpan data = (RecordingSpan) exporter.onlySpanNamed("many");
    assertThat(data.attributeCount()).isEqualTo(40);
    for (int i = 0; i < 40; i++) {
      assertThat(data.attributeKey(i)).isEqualTo("key." + i);
    }
    assertThat(data.attributeValue(0)).isEqualTo("zero");
    assertThat(data.attributeValue(1)).isEqualTo(1L);
    assertThat(data.attributeValue(39)).isEqualTo(true);
    assertThat(data.attributes().size()).isEqualTo(40);
    assertThat(data.attributes().get("key.20")).isEqualTo(20L);
    assertThat(data.droppedAttributesCount()).isZero();
  }

  @Test
  void keysOfEqualLengthAreToldApart() {
    Span span = tracer.startSpan("same-length");
    span.setAttribute("aa", 1L).setAttribute("ab", 2L).setAttribute("ba", 3L).setAttribute("ab", 4L);
    span.end();
    Attributes a = exporter.onlySpanNamed("same-length").attributes();
    assertThat(a.asMap()).containsExactly(
        java.util.Map.entry("aa", 1L), java.util.Map.entry("ab", 4L), java.util.Map.entry("ba", 3L));
  }

  @Test
  void builderAttributesAreTakenOverWithinTheLimits() {
    Tracer limited = tracer(SpanLimits.builder().maxAttributes(3).maxAttributeValueLength(2).build());
    Span span = limited.spanBuilder("builder").setAttribute("a", "xyz").setAttribute("b", 1)
        .setAttribute("c", 2.5).setAttribute("d", "dropped").setAttribute("e", "dropped").startSpan();
    span.setAttribute("a", "replaced").setAttribute("f", "dropped too");
    span.end();
    RecordingSpan data = (RecordingSpan) exporter.onlySpanNamed("builder");
    assertThat(data.attributes().asMap()).containsExactly(
        java.util.Map.entry("a", "re"), java.util.Map.entry("b", 1L), java.util.Map.entry("c", 2.5));
    assertThat(data.droppedAttributesCount()).isEqualTo(3);
  }

  @Test
  void zeroAttributeLimitDropsEverything() {
    Tracer none = tracer(SpanLimits.builder().maxAttributes(0).build());
    Span span = none.spanBuilder("none").setAttribute("a", "b").startSpan();
    span.setAttribute("c", "d");
    span.end();
    SpanData data = exporter.onlySpanNamed("none");
    assertThat(data.attributes().isEmpty()).isTrue();
    assertThat(data.droppedAttributesCount()).isEqualTo(2);
  }

  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    int threads = 4;
    int perThread = 2_000;
    Tracer big = tracer(SpanLimits.builder().maxAttributes(threads * perThread + 1)
        .maxEvents(threads * perThread).build());
    Span span = big.startSpan("shared");
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          span.setAttribute("t" + id + "." + i, (long) i);
          span.addEvent("e" + id + "." + i);
          span.setAttribute("shared", (long) i); // the same key from every thread
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    span.end();
    RecordingSpan data = (RecordingSpan) exporter.onlySpanNamed("shared");
    assertThat(data.attributeCount()).isEqualTo(threads * perThread + 1);
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < data.attributeCount(); i++) {
      keys.add(data.attributeKey(i));
    }
    assertThat(keys).hasSize(threads * perThread + 1);
    assertThat(data.events()).hasSize(threads * perThread);
    assertThat(data.droppedAttributesCount()).isZero();
    assertThat(data.droppedEventsCount()).isZero();
  }

  @Test
  void endRacingWithRecordingEndsOnceAndFreezesTheSpan() throws Exception {
    for (int round = 0; round < 50; round++) {
      exporter.reset();
      Span span = tracer.startSpan("race");
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread worker = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < 200; i++) {
            span.setAttribute("k" + (i % 50), (long) i);
            span.addEvent("e");
            span.setStatus(StatusCode.ERROR, "e" + i);
            span.end();
          }
        });
        worker.start();
        workers.add(worker);
      }
      start.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      assertThat(exporter.finishedSpans()).hasSize(1);
      RecordingSpan data = (RecordingSpan) exporter.finishedSpans().get(0);
      // what the exporter saw is what the span holds: nothing changed after end
      int attributes = data.attributeCount();
      int events = data.eventCount();
      String description = data.statusDescription();
      span.setAttribute("late", 1L).addEvent("late").setStatus(StatusCode.OK, null).updateName("late");
      span.end();
      assertThat(data.attributeCount()).isEqualTo(attributes);
      assertThat(data.eventCount()).isEqualTo(events);
      assertThat(data.statusDescription()).isEqualTo(description);
      assertThat(data.name()).isEqualTo("race");
      assertThat(data.endEpochNanos()).isGreaterThanOrEqualTo(data.startEpochNanos());
      assertThat(exporter.finishedSpans()).hasSize(1);
    }
  }

  @Test
  void eventsKeepTheirOrderAndTimes() {
    Span span = tracer.startSpan("events");
    for (int i = 0; i < 5; i++) {
      span.addEvent("e" + i);
    }
    span.addEvent("explicit", Attributes.of("k", "v"), 42L);
    span.end();
    SpanData data = exporter.onlySpanNamed("events");
    List<Event> events = data.events();
    assertThat(events).extracting(Event::name).containsExactly("e0", "e1", "e2", "e3", "e4", "explicit");
    for (int i = 1; i < 5; i++) {
      assertThat(events.get(i).epochNanos()).isGreaterThanOrEqualTo(events.get(i - 1).epochNanos());
    }
    assertThat(events.get(0).epochNanos()).isGreaterThanOrEqualTo(data.startEpochNanos());
    assertThat(data.endEpochNanos()).isGreaterThanOrEqualTo(events.get(4).epochNanos());
    assertThat(events.get(5).epochNanos()).isEqualTo(42L);
  }
}
