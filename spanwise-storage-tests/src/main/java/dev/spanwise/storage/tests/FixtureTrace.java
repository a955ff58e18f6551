package dev.spanwise.storage.tests;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** One trace of a fixture file: its name in the file, its id, and its spans by arrival batch. */
public final class FixtureTrace {
  /** Orders spans as {@code TraceReader.getTrace} returns them: by start, then span id. */
  public static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startEpochNanos)
          .thenComparing(Span::spanId, Long::compareUnsigned)
          .thenComparing(Span::kind);

  private final String name;
  private final String description;
  private final TraceId traceId;
  private final List<Span> spans;
  private final List<Integer> batches;

  FixtureTrace(String name, String description, TraceId traceId, List<Span> spans,
      List<Integer> batches) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = description;
    this.traceId = traceId;
    this.spans = Collections.unmodifiableList(new ArrayList<>(spans));
    this.batches = Collections.unmodifiableList(new ArrayList<>(batches));
  }

  /** The handle tests use, unique across the bundled fixtures. */
  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public TraceId traceId() {
    return traceId;
  }

  /** All spans, in the order of the file. */
  public List<Span> spans() {
    return spans;
  }

  /** All spans ordered as a backend returns them (by start). */
  public List<Span> spansByStart() {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(BY_START);
    return sorted;
  }

  /** The number of arrival batches (the highest {@code batch} plus one). */
  public int batchCount() {
    int max = -1;
    for (int b : batches) max = Math.max(max, b);
    return max + 1;
  }

  /** The spans arriving in batch {@code number}, in file order. */
  public List<Span> batch(int number) {
    List<Span> result = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      if (batches.get(i) == number) result.add(spans.get(i));
    }
    return result;
  }

  /** The spans with this name, in file order. */
  public List<Span> spansNamed(String spanName) {
    List<Span> result = new ArrayList<>();
    for (Span s : spans) {
      if (s.name().equals(spanName)) result.add(s);
    }
    return result;
  }

  /** The only span with this name; throws when there is none or several. */
  public Span span(String spanName) {
    List<Span> named = spansNamed(spanName);
    if (named.size() != 1) {
      throw new IllegalArgumentException(
          "trace " + name + " has " + named.size() + " spans named " + spanName);
    }
    return named.get(0);
  }

  /** The only span with this name and kind; throws when there is none or several. */
  public Span span(String spanName, SpanKind kind) {
    Span found = null;
    for (Span s : spans) {
      if (!s.name().equals(spanName) || s.kind() != kind) continue;
      if (found != null) {
        throw new IllegalArgumentException(
            "trace " + name + " has several " + kind + " spans named " + spanName);
      }
      found = s;
    }
    if (found == null) {
      throw new IllegalArgumentException("trace " + name + " has no " + kind + " span " + spanName);
    }
    return found;
  }

  @Override
  public String toString() {
    return "FixtureTrace{" + name + " " + traceId + " spans=" + spans.size() + "}";
  }
}
