package dev.spanwise.storage.tests;

import dev.spanwise.model.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces read from the JSON fixtures bundled under {@code dev/spanwise/storage/tests/} (format in
 * this module's README), with times placed relative to a base time the caller picks.
 *
 * <p>Usable outside the conformance suite too: any test that needs realistic spans can call {@code
 * SpanFixtures.load(SpanFixtures.defaultBaseEpochNanos()).trace("checkout").spans()}.
 */
public final class SpanFixtures {
  /** The bundled fixture files, in load order. */
  public static final List<String> BUNDLED_FILES = List.of(
      "ecommerce.json", "catalog.json", "late-root.json", "zipkin.json", "old.json");

  private final long baseEpochNanos;
  private final Map<String, FixtureTrace> traces;

  private SpanFixtures(long baseEpochNanos, Map<String, FixtureTrace> traces) {
    this.baseEpochNanos = baseEpochNanos;
    this.traces = Collections.unmodifiableMap(traces);
  }

  /**
   * Half an hour before now, truncated to the whole minute: recent enough for time-range and
   * retention tests, and minute-aligned so that the suite's windows (whole minutes from the base)
   * fall on the boundaries of rollups kept per minute.
   */
  public static long defaultBaseEpochNanos() {
    Instant base = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
    return base.getEpochSecond() * 1_000_000_000L;
  }

  /** Loads every bundled fixture file. */
  public static SpanFixtures load(long baseEpochNanos) {
    Map<String, FixtureTrace> all = new LinkedHashMap<>();
    for (String file : BUNDLED_FILES) {
      try (InputStream in = SpanFixtures.class.getResourceAsStream(file)) {
        if (in == null) throw new IllegalStateException("fixture file missing: " + file);
        addAll(all, FixtureParser.parse(in, file, baseEpochNanos), file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read fixture " + file, e);
      }
    }
    return new SpanFixtures(baseEpochNanos, all);
  }

  /**
   * Parses one fixture document.
   *
   * @param source names the document in error messages
   * @throws IllegalArgumentException naming the source, trace, span and field that is wrong
   */
  public static SpanFixtures parse(InputStream json, String source, long baseEpochNanos)
      throws IOException {
    Map<String, FixtureTrace> all = new LinkedHashMap<>();
    addAll(all, FixtureParser.parse(json, source, baseEpochNanos), source);
    return new SpanFixtures(baseEpochNanos, all);
  }

  private static void addAll(Map<String, FixtureTrace> all, List<FixtureTrace> parsed,
      String source) {
    for (FixtureTrace t : parsed) {
      if (all.put(t.name(), t) != null) {
        throw new IllegalArgumentException(source + ": duplicate trace name " + t.name());
      }
    }
  }

  /** The base time that fixture offsets are relative to. */
  public long baseEpochNanos() {
    return baseEpochNanos;
  }

  /** {@code baseEpochNanos() + offsetMillis} in nanoseconds. */
  public long atMillis(long offsetMillis) {
    return baseEpochNanos + offsetMillis * 1_000_000L;
  }

  /** The trace with this name. */
  public FixtureTrace trace(String name) {
    FixtureTrace t = traces.get(name);
    if (t == null) throw new IllegalArgumentException("no fixture trace named " + name);
    return t;
  }

  public List<FixtureTrace> traces() {
    return List.copyOf(traces.values());
  }

  /** Every span of every trace. */
  public List<Span> spans() {
    List<Span> all = new ArrayList<>();
    for (FixtureTrace t : traces.values()) all.addAll(t.spans());
    return all;
  }

  /** The highest batch count of any trace. */
  public int batchCount() {
    int max = 0;
    for (FixtureTrace t : traces.values()) max = Math.max(max, t.batchCount());
    return max;
  }

  /** The spans of every trace arriving in batch {@code number}. */
  public List<Span> batch(int number) {
    List<Span> all = new ArrayList<>();
    for (FixtureTrace t : traces.values()) all.addAll(t.batch(number));
    return all;
  }
}
