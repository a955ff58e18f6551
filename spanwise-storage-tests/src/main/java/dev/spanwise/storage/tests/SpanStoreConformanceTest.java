package dev.spanwise.storage.tests;

import static dev.spanwise.storage.StorageCapability.ATTRIBUTE_NAMES;
import static dev.spanwise.storage.StorageCapability.DEPENDENCIES;
import static dev.spanwise.storage.StorageCapability.RETENTION;
import static dev.spanwise.storage.StorageCapability.SEARCH_BY_ATTRIBUTE;
import static dev.spanwise.storage.StorageCapability.SEARCH_BY_DURATION;
import static dev.spanwise.storage.StorageCapability.SEARCH_BY_SERVICE;
import static dev.spanwise.storage.StorageCapability.SEARCH_WITHOUT_SERVICE;
import static dev.spanwise.storage.StorageCapability.SERVICE_NAMES;
import static dev.spanwise.storage.StorageCapability.TRACE_BY_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spanwise.model.AttributeType;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import dev.spanwise.storage.AttributeFilter;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.Operation;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.Tenants;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceSummary;
import dev.spanwise.storage.UnsupportedQueryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conformance suite every storage backend runs. Subclass it in the backend's tests and
 * implement {@link #openStore(Path)}:
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends SpanStoreConformanceTest {
 *   @Override protected SpanStore openStore(Path dir) throws IOException {
 *     return MyBackendSpanStore.builder().directory(dir).build();
 *   }
 *   @Override protected boolean durable() { return true; }
 * }
 * }</pre>
 *
 * <p>Each test opens a fresh store in an empty directory, writes the JSON fixtures it needs (see
 * {@link SpanFixtures}) through {@code spanConsumer()} followed by {@code flush()}, and checks the
 * answers against values worked out by hand from the fixtures. Tests of a capability the store does
 * not declare are skipped with a message saying so, and {@link Capabilities} checks that such a
 * store throws {@link UnsupportedQueryException} instead of answering empty.
 *
 * <p>Times: fixtures are placed relative to a base time half an hour before now, on a whole minute
 * (so that rollups kept per minute answer the suite's windows exactly). The default search
 * window is the base time plus or minus one hour; trace {@code old} lies 3 hours before it and the
 * retention cutoff used is 2 hours before it.
 */
public abstract class SpanStoreConformanceTest {
  protected static final String TENANT = Tenants.DEFAULT;
  protected static final long MILLI = 1_000_000L;
  protected static final long MINUTE = 60_000 * MILLI;
  protected static final long HOUR = 60 * MINUTE;

  /** The fixtures of this test, placed around {@link #base}. */
  protected SpanFixtures fixtures;
  /** The fixtures' base time, epoch nanoseconds. */
  protected long base;
  /** The store under test, opened before each test and closed after it. */
  protected SpanStore store;
  /** The directory the store was opened in; empty at the start of each test. */
  protected Path storeDirectory;

  /** Opens (or, for {@link #durable()} stores, reopens) a store keeping its data in {@code dir}. */
  protected abstract SpanStore openStore(Path dir) throws IOException;

  /** Whether a store opened again on the same directory sees what was written before closing. */
  protected boolean durable() {
    return false;
  }

  @BeforeEach
  void openStoreForTest() throws IOException {
    fixtures = SpanFixtures.load(SpanFixtures.defaultBaseEpochNanos());
    base = fixtures.baseEpochNanos();
    storeDirectory = Files.createTempDirectory("spanwise-conformance");
    store = openStore(storeDirectory);
  }

  @AfterEach
  void closeStoreAfterTest() throws IOException {
    try {
      if (store != null) store.close();
    } finally {
      deleteRecursively(storeDirectory);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for subclasses and the groups below

  /** Skips the test unless the store declares every capability given. */
  protected void requires(StorageCapability... capabilities) {
    for (StorageCapability c : capabilities) {
      assumeTrue(store.has(c), () -> "the store does not declare " + c);
    }
  }

  /** Writes spans as one batch to the default tenant, then flushes. */
  protected void accept(List<Span> spans) throws IOException {
    store.spanConsumer().accept(TENANT, spans);
    store.flush();
  }

  /** Writes every fixture trace, batch 0 of all traces first, then batch 1, and so on. */
  protected void acceptAllFixtures() throws IOException {
    for (int b = 0; b < fixtures.batchCount(); b++) accept(fixtures.batch(b));
  }

  protected FixtureTrace trace(String name) {
    return fixtures.trace(name);
  }

  protected TraceId traceId(String name) {
    return fixtures.trace(name).traceId();
  }

  protected List<TraceId> traceIds(String... names) {
    List<TraceId> ids = new ArrayList<>();
    for (String name : names) ids.add(traceId(name));
    return ids;
  }

  /** The base time plus {@code offsetMillis}, epoch nanoseconds. */
  protected long at(long offsetMillis) {
    return fixtures.atMillis(offsetMillis);
  }

  /** A query over the default window (base time +- 1 hour) with limit 100. */
  protected TraceQuery.Builder query() {
    return TraceQuery.builder()
        .tenant(TENANT)
        .startEpochNanos(base - HOUR)
        .endEpochNanos(base + HOUR)
        .limit(100);
  }

  /** Searches after skipping the test unless the store declares what the query needs. */
  protected List<TraceSummary> search(TraceQuery.Builder builder) throws IOException {
    TraceQuery q = builder.build();
    requires(q.serviceName() != null ? SEARCH_BY_SERVICE : SEARCH_WITHOUT_SERVICE);
    if (!q.attributeFilters().isEmpty()) requires(SEARCH_BY_ATTRIBUTE);
    if (q.hasDurationFilter()) requires(SEARCH_BY_DURATION);
    return store.traceSearch().search(q);
  }

  /** The trace ids of a search, in the order returned. */
  protected List<TraceId> searchIds(TraceQuery.Builder builder) throws IOException {
    List<TraceId> ids = new ArrayList<>();
    for (TraceSummary s : search(builder)) ids.add(s.traceId());
    return ids;
  }

  protected TraceSummary summaryOf(String traceName, TraceQuery.Builder builder)
      throws IOException {
    TraceId id = traceId(traceName);
    List<TraceSummary> found = search(builder);
    for (TraceSummary s : found) {
      if (s.traceId().equals(id)) return s;
    }
    throw new AssertionError("search " + builder.build() + " did not return trace " + traceName
        + " (" + id + "); returned " + found);
  }

  protected List<Span> getTrace(TraceId id) throws IOException {
    requires(TRACE_BY_ID);
    return store.traceReader().getTrace(TENANT, id);
  }

  protected List<DependencyLink> dependencies(long start, long end) throws IOException {
    requires(DEPENDENCIES);
    return store.dependencyReader().dependencies(TENANT, start, end);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Reading whole traces by id. */
  @Nested
  public class TraceById {
    @Test
    void returnsAllSpansOrderedByStart() throws IOException {
      requires(TRACE_BY_ID);
      acceptAllFixtures();

      assertThat(getTrace(traceId("checkout")))
          .containsExactlyElementsOf(trace("checkout").spansByStart());
    }

    @Test
    void keepsEveryFieldOfTheSpan() throws IOException {
      requires(TRACE_BY_ID);
      acceptAllFixtures();
      Span expected = trace("checkout").span("POST /charge");

      Span charge = getTrace(traceId("checkout")).stream()
          .filter(s -> s.spanId() == expected.spanId()).findFirst().orElseThrow();

      assertThat(charge.attributes().get("http.response.status_code").type())
          .isEqualTo(AttributeType.LONG);
      assertThat(charge.attributes().get("payment.amount").type()).isEqualTo(AttributeType.DOUBLE);
      assertThat(charge.attributes().get("payment.retry").type()).isEqualTo(AttributeType.BOOLEAN);
      assertThat(charge.events()).isEqualTo(expected.events());
      assertThat(charge.status()).isEqualTo(expected.status());
      assertThat(charge.resource()).isEqualTo(expected.resource());
      assertThat(charge.scope()).isEqualTo(expected.scope());
      assertThat(charge).isEqualTo(expected);
      Span inventory = trace("checkout").span("inventory.Check", SpanKind.SERVER);
      assertThat(getTrace(traceId("checkout"))).contains(inventory);
      assertThat(inventory.links()).hasSize(1);
    }

    @Test
    void unknownTraceIsEmpty() throws IOException {
      requires(TRACE_BY_ID);
      acceptAllFixtures();

      assertThat(getTrace(TraceId.fromHex("1234567890abcdef1234567890abcdef"))).isEmpty();
    }

    @Test
    void sixtyFourBitTraceIdIsNotConfusedWithWideIdOfSameLowBits() throws IOException {
      requires(TRACE_BY_ID);
      acceptAllFixtures();

      assertThat(traceId("legacy64").low()).isEqualTo(traceId("wide").low());
      assertThat(getTrace(TraceId.fromHex("48485a3953bb6124")))
          .containsExactlyElementsOf(trace("legacy64").spansByStart());
      assertThat(getTrace(traceId("wide"))).containsExactlyElementsOf(trace("wide").spans());
    }

    @Test
    void keepsMicrosecondTimes() throws IOException {
      requires(TRACE_BY_ID);
      acceptAllFixtures();

      Span parseRow = getTrace(traceId("legacy64")).get(1);
      assertThat(parseRow.name()).isEqualTo("parse row");
      assertThat(parseRow.startEpochNanos()).isEqualTo(at(600_000) + 200_000);
      assertThat(parseRow.durationNanos()).isEqualTo(350_000);
    }

    @Test
    void getTracesKeepsTheAskedOrderAndSkipsUnknownIds() throws IOException {
      requires(TRACE_BY_ID);
      acceptAllFixtures();
      TraceId unknown = TraceId.fromHex("00000000000000000000000000000bad");

      List<List<Span>> traces = store.traceReader().getTraces(TENANT,
          List.of(traceId("shared"), unknown, traceId("checkout"), traceId("late-root")));

      assertThat(traces).containsExactly(trace("shared").spansByStart(),
          trace("checkout").spansByStart(), trace("late-root").spansByStart());
    }
  }

  /** Writes: idempotence, batches, flush, tenants, durability. */
  @Nested
  public class Writes {
    @Test
    void sameSpansWrittenTwiceAreStoredOnce() throws IOException {
      requires(TRACE_BY_ID);
      accept(trace("checkout").spans());
      accept(trace("checkout").spans());

      assertThat(getTrace(traceId("checkout")))
          .containsExactlyElementsOf(trace("checkout").spansByStart());
    }

    @Test
    void overlappingBatchesKeepOneCopyOfEachSpan() throws IOException {
      requires(TRACE_BY_ID);
      List<Span> spans = trace("checkout").spans();
      accept(spans.subList(0, 9));
      accept(spans.subList(5, spans.size()));

      assertThat(getTrace(traceId("checkout"))).hasSize(14)
          .containsExactlyElementsOf(trace("checkout").spansByStart());
    }

    @Test
    void sharedClientAndServerSpansWithOneIdStayTwoSpans() throws IOException {
      requires(TRACE_BY_ID);
      accept(trace("shared").spans());
      accept(trace("shared").spans());

      List<Span> stored = getTrace(traceId("shared"));
      assertThat(stored).containsExactlyElementsOf(trace("shared").spansByStart());
      assertThat(stored).filteredOn(s -> s.spanId() == 0xe02L)
          .extracting(Span::kind).containsExactly(SpanKind.CLIENT, SpanKind.SERVER);
    }

    @Test
    void traceArrivingInSeveralBatchesIsAssembled() throws IOException {
      requires(TRACE_BY_ID);
      FixtureTrace lateRoot = trace("late-root");
      accept(lateRoot.batch(0));
      assertThat(getTrace(lateRoot.traceId())).hasSize(2);

      accept(lateRoot.batch(1));

      assertThat(getTrace(lateRoot.traceId())).containsExactlyElementsOf(lateRoot.spansByStart());
      assertThat(getTrace(lateRoot.traceId()).get(0).isRoot()).isTrue();
    }

    @Test
    void flushMakesWritesVisible() throws IOException {
      requires(TRACE_BY_ID);
      store.spanConsumer().accept(TENANT, trace("wide").spans());
      store.flush();

      assertThat(getTrace(traceId("wide"))).containsExactlyElementsOf(trace("wide").spans());
    }

    @Test
    void emptyBatchIsAccepted() throws IOException {
      requires(TRACE_BY_ID);
      accept(List.of());
      accept(trace("wide").spans());

      assertThat(getTrace(traceId("wide"))).hasSize(1);
    }

    @Test
    void tenantsAreIsolated() throws IOException {
      requires(TRACE_BY_ID);
      store.spanConsumer().accept("acme", trace("checkout").spans());
      store.flush();

      assertThat(store.traceReader().getTrace("acme", traceId("checkout"))).hasSize(14);
      assertThat(getTrace(traceId("checkout"))).isEmpty();
      if (store.has(SERVICE_NAMES)) {
        assertThat(store.serviceNames().services("acme")).contains("frontend", "payment");
        assertThat(store.serviceNames().services(TENANT)).isEmpty();
      }
      if (store.has(SEARCH_BY_SERVICE)) {
        assertThat(store.traceSearch().search(query().serviceName("frontend").build())).isEmpty();
        assertThat(store.traceSearch()
            .search(query().tenant("acme").serviceName("frontend").build()))
            .extracting(TraceSummary::traceId).containsExactly(traceId("checkout"));
      }
    }

    @Test
    void dataSurvivesReopening() throws IOException {
      assumeTrue(durable(), "the store is not durable (durable() is false)");
      requires(TRACE_BY_ID);
      acceptAllFixtures();
      store.close();
      store = null;

      store = openStore(storeDirectory);

      assertThat(getTrace(traceId("checkout")))
          .containsExactlyElementsOf(trace("checkout").spansByStart());
      if (store.has(SERVICE_NAMES)) {
        assertThat(store.serviceNames().services(TENANT)).contains("frontend", "archive");
      }
      if (store.has(DEPENDENCIES)) {
        assertThat(dependencies(base - HOUR, base + HOUR))
            .contains(DependencyLink.of("frontend", "payment", 1, 1));
      }
      if (store.has(SEARCH_BY_SERVICE)) {
        assertThat(searchIds(query().serviceName("pricing"))).hasSize(5);
      }
    }
  }

  /** Searching traces: one span of the trace must satisfy every condition. */
  @Nested
  public class Search {
    @Test
    void byServiceNewestFirst() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("pricing")))
          .containsExactlyElementsOf(
              traceIds("catalog-5", "catalog-4", "catalog-3", "catalog-2", "catalog-1"));
      assertThat(searchIds(query().serviceName("legacy-batch")))
          .containsExactlyElementsOf(traceIds("wide", "legacy64"));
    }

    @Test
    void unknownServiceFindsNothing() throws IOException {
      acceptAllFixtures();

      assertThat(search(query().serviceName("no-such-service"))).isEmpty();
    }

    @Test
    void bySpanName() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("product").spanName("inventory.Check")))
          .containsExactly(traceId("checkout"));
      assertThat(searchIds(query().serviceName("catalog").spanName("GET /items"))).hasSize(5);
    }

    @Test
    void spanNameMustBelongToTheService() throws IOException {
      acceptAllFixtures();

      assertThat(search(query().serviceName("frontend").spanName("inventory.Check"))).isEmpty();
      assertThat(search(query().serviceName("inventory").spanName("GET /products"))).isEmpty();
    }

    @Test
    void bySpanKind() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("payment").spanKind(SpanKind.PRODUCER)))
          .containsExactly(traceId("checkout"));
      assertThat(searchIds(query().serviceName("notifier").spanKind(SpanKind.CONSUMER)))
          .containsExactly(traceId("checkout"));
      assertThat(search(query().serviceName("payment").spanKind(SpanKind.CONSUMER))).isEmpty();
      assertThat(searchIds(query().serviceName("legacy-api").spanKind(SpanKind.SERVER)))
          .containsExactly(traceId("shared"));
    }

    @Test
    void bySpanAttribute() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("frontend")
          .addAttributeFilter(AttributeFilter.equalTo("user.id", "u-1234"))))
          .containsExactly(traceId("checkout"));
      assertThat(search(query().serviceName("frontend")
          .addAttributeFilter(AttributeFilter.equalTo("user.id", "u-9999")))).isEmpty();
    }

    @Test
    void typedAttributeValuesAreComparedAsText() throws IOException {
      acceptAllFixtures();

      for (String[] kv : new String[][] {
          {"http.response.status_code", "500"}, {"payment.amount", "42.5"},
          {"payment.retry", "true"}, {"product.ids", "[\"p-1\",\"p-2\"]"},
          {"stock.ratio", "0.75"}}) {
        assertThat(searchIds(query().addAttributeFilter(AttributeFilter.equalTo(kv[0], kv[1]))))
            .as("%s=%s", kv[0], kv[1]).containsExactly(traceId("checkout"));
      }
      assertThat(search(query()
          .addAttributeFilter(AttributeFilter.equalTo("http.response.status_code", "500.0"))))
          .isEmpty();
      assertThat(search(query()
          .addAttributeFilter(AttributeFilter.equalTo("payment.amount", "42.50")))).isEmpty();
    }

    @Test
    void byResourceAttribute() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query()
          .addAttributeFilter(AttributeFilter.equalTo("deployment.environment", "canary"))))
          .containsExactly(traceId("checkout"));
      assertThat(searchIds(query().serviceName("payment")
          .addAttributeFilter(AttributeFilter.equalTo("cloud.region", "eu-west-1"))))
          .containsExactly(traceId("checkout"));
      assertThat(search(query().serviceName("frontend")
          .addAttributeFilter(AttributeFilter.equalTo("deployment.environment", "canary"))))
          .isEmpty();
    }

    @Test
    void byAttributePresence() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().addAttributeFilter(AttributeFilter.exists("payment.card"))))
          .containsExactly(traceId("checkout"));
      assertThat(searchIds(query().addAttributeFilter(AttributeFilter.exists("db.system"))))
          .containsExactlyElementsOf(traceIds(
              "checkout", "catalog-5", "catalog-4", "catalog-3", "catalog-2", "catalog-1"));
      assertThat(search(query().addAttributeFilter(AttributeFilter.exists("no.such.key"))))
          .isEmpty();
    }

    @Test
    void severalAttributesMatchWhenOneSpanHasThemAll() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query()
          .addAttributeFilter(AttributeFilter.equalTo("http.route", "/charge"))
          .addAttributeFilter(AttributeFilter.equalTo("payment.card", "visa"))))
          .containsExactly(traceId("checkout"));
      // one from the resource, one from the span, both of the payment span
      assertThat(searchIds(query()
          .addAttributeFilter(AttributeFilter.equalTo("deployment.environment", "canary"))
          .addAttributeFilter(AttributeFilter.equalTo("http.route", "/charge"))))
          .containsExactly(traceId("checkout"));
    }

    @Test
    void severalAttributesOnDifferentSpansDoNotMatch() throws IOException {
      acceptAllFixtures();

      assertThat(search(query()
          .addAttributeFilter(AttributeFilter.equalTo("user.id", "u-1234"))
          .addAttributeFilter(AttributeFilter.equalTo("payment.card", "visa")))).isEmpty();
      assertThat(search(query()
          .addAttributeFilter(AttributeFilter.equalTo("deployment.environment", "canary"))
          .addAttributeFilter(AttributeFilter.exists("user.id")))).isEmpty();
      assertThat(search(query().serviceName("auth")
          .addAttributeFilter(AttributeFilter.equalTo("payment.card", "visa")))).isEmpty();
    }

    @Test
    void errorOnly() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().errorOnly(true)))
          .containsExactlyElementsOf(traceIds("checkout", "catalog-3"));
      assertThat(searchIds(query().serviceName("pricing").errorOnly(true)))
          .containsExactly(traceId("catalog-3"));
      assertThat(search(query().serviceName("frontend").errorOnly(true))).isEmpty();
    }

    @Test
    void minDuration() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("catalog").minDurationNanos(100 * MILLI)))
          .containsExactly(traceId("catalog-5"));
    }

    @Test
    void maxDuration() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("catalog").spanName("GET /items")
          .maxDurationNanos(15 * MILLI)))
          .containsExactly(traceId("catalog-1"));
    }

    @Test
    void durationBoundsAreInclusive() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("catalog").spanName("GET /items")
          .minDurationNanos(20 * MILLI).maxDurationNanos(30 * MILLI)))
          .containsExactlyElementsOf(traceIds("catalog-3", "catalog-2"));
    }

    @Test
    void durationAppliesToTheMatchingSpan() throws IOException {
      acceptAllFixtures();

      assertThat(search(query().serviceName("catalog").spanName("SELECT items")
          .minDurationNanos(5 * MILLI))).isEmpty();
      assertThat(search(query().serviceName("auth").minDurationNanos(100 * MILLI))).isEmpty();
    }

    @Test
    void timeWindow() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("catalog")
          .startEpochNanos(base - 45 * MINUTE).endEpochNanos(base - 25 * MINUTE)))
          .containsExactlyElementsOf(traceIds("catalog-3", "catalog-2"));
    }

    @Test
    void timeWindowBoundsAreInclusive() throws IOException {
      acceptAllFixtures();
      long rootStart = trace("catalog-2").span("GET /items").startEpochNanos();

      assertThat(searchIds(query().serviceName("catalog")
          .startEpochNanos(rootStart).endEpochNanos(rootStart)))
          .containsExactly(traceId("catalog-2"));
    }

    @Test
    void matchingSpanMustStartInTheWindow() throws IOException {
      acceptAllFixtures();
      TraceQuery.Builder window =
          query().startEpochNanos(base - 2 * HOUR).endEpochNanos(base - 2 * HOUR + 10 * MINUTE);

      // billing's root started 1 s before the window, ledger's span 1 s into it
      assertThat(search(window.serviceName("billing"))).isEmpty();
      assertThat(searchIds(window.serviceName("ledger"))).containsExactly(traceId("straddle"));
    }

    @Test
    void traceOutsideTheWindowIsNotFound() throws IOException {
      acceptAllFixtures();

      assertThat(search(query().serviceName("archive"))).isEmpty();
      assertThat(searchIds(query().serviceName("archive")
          .startEpochNanos(base - 4 * HOUR).endEpochNanos(base - 2 * HOUR)))
          .containsExactly(traceId("old"));
    }

    @Test
    void withoutServiceFindsEveryTraceInTheWindowNewestFirst() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query())).containsExactlyElementsOf(traceIds(
          "shared", "wide", "legacy64", "late-root", "checkout",
          "catalog-5", "catalog-4", "catalog-3", "catalog-2", "catalog-1"));
    }

    @Test
    void limitKeepsTheNewestTraces() throws IOException {
      acceptAllFixtures();

      assertThat(searchIds(query().serviceName("catalog").limit(3)))
          .containsExactlyElementsOf(traceIds("catalog-5", "catalog-4", "catalog-3"));
      assertThat(searchIds(query().limit(2)))
          .containsExactlyElementsOf(traceIds("shared", "wide"));
    }
  }

  /** The summary rows that search returns. */
  @Nested
  public class Summaries {
    @Test
    void summaryOfAMultiServiceTrace() throws IOException {
      acceptAllFixtures();

      TraceSummary s = summaryOf("checkout", query().serviceName("payment"));

      assertThat(s.rootServiceName()).isEqualTo("frontend");
      assertThat(s.rootSpanName()).isEqualTo("GET /checkout");
      assertThat(s.startEpochNanos()).isEqualTo(base);
      assertThat(s.durationNanos()).isEqualTo(480 * MILLI);
      assertThat(s.spanCount()).isEqualTo(14);
      assertThat(s.errorCount()).isEqualTo(2);
      assertThat(s.spanCountByService()).containsExactly(
          Map.entry("auth", 1), Map.entry("frontend", 4), Map.entry("inventory", 1),
          Map.entry("notifier", 1), Map.entry("payment", 4), Map.entry("product", 3));
    }

    @Test
    void durationIsLatestEndMinusEarliestStart() throws IOException {
      acceptAllFixtures();

      // legacy64: root 0..1.5 ms; straddle: root 0..3000 ms, child 2000..2500 ms
      assertThat(summaryOf("legacy64", query().serviceName("legacy-batch")).durationNanos())
          .isEqualTo(1_500_000);
      TraceSummary straddle = summaryOf("straddle", query().serviceName("ledger")
          .startEpochNanos(base - 3 * HOUR).endEpochNanos(base - HOUR));
      assertThat(straddle.startEpochNanos()).isEqualTo(at(-7_201_000));
      assertThat(straddle.durationNanos()).isEqualTo(3000 * MILLI);
      assertThat(straddle.rootServiceName()).isEqualTo("billing");
    }

    @Test
    void sharedSpansCountAsTwoSpans() throws IOException {
      acceptAllFixtures();

      TraceSummary s = summaryOf("shared", query().serviceName("gateway"));

      assertThat(s.spanCount()).isEqualTo(4);
      assertThat(s.spanCountByService())
          .containsExactly(Map.entry("gateway", 2), Map.entry("legacy-api", 2));
      assertThat(s.rootServiceName()).isEqualTo("gateway");
      assertThat(s.rootSpanName()).isEqualTo("GET /legacy");
      assertThat(s.errorCount()).isZero();
    }

    @Test
    void missingRootIsReplacedByTheEarliestSpanUntilItArrives() throws IOException {
      FixtureTrace lateRoot = trace("late-root");
      accept(lateRoot.batch(0));

      TraceSummary before = summaryOf("late-root", query().serviceName("reporter"));
      assertThat(before.rootServiceName()).isEqualTo("reporter");
      assertThat(before.rootSpanName()).isEqualTo("render report");
      assertThat(before.startEpochNanos()).isEqualTo(at(300_020));
      assertThat(before.durationNanos()).isEqualTo(700 * MILLI);
      assertThat(before.spanCount()).isEqualTo(2);

      accept(lateRoot.batch(1));

      TraceSummary after = summaryOf("late-root", query().serviceName("reporter"));
      assertThat(after.rootServiceName()).isEqualTo("scheduler");
      assertThat(after.rootSpanName()).isEqualTo("nightly-report");
      assertThat(after.startEpochNanos()).isEqualTo(at(300_000));
      assertThat(after.durationNanos()).isEqualTo(900 * MILLI);
      assertThat(after.spanCount()).isEqualTo(3);
      assertThat(after.spanCountByService())
          .containsExactly(Map.entry("reporter", 2), Map.entry("scheduler", 1));
    }

    @Test
    void replayedSpansAreCountedOnce() throws IOException {
      accept(trace("checkout").spans());
      accept(trace("checkout").spans());

      TraceSummary s = summaryOf("checkout", query().serviceName("frontend"));

      assertThat(s.spanCount()).isEqualTo(14);
      assertThat(s.errorCount()).isEqualTo(2);
    }
  }

  /** Service, operation and remote service names. */
  @Nested
  public class Names {
    @Test
    void servicesAreSorted() throws IOException {
      requires(SERVICE_NAMES);
      acceptAllFixtures();

      assertThat(store.serviceNames().services(TENANT)).containsExactly(
          "archive", "auth", "billing", "catalog", "frontend", "gateway", "inventory", "ledger",
          "legacy-api", "legacy-batch", "notifier", "payment", "pricing", "product", "reporter",
          "scheduler");
    }

    @Test
    void operationsOfAServiceSortedByNameThenKind() throws IOException {
      requires(SERVICE_NAMES);
      acceptAllFixtures();

      assertThat(store.serviceNames().operations(TENANT, "payment", null)).containsExactly(
          Operation.of("POST /charge", SpanKind.SERVER),
          Operation.of("POST /v1/charges", SpanKind.CLIENT),
          Operation.of("send receipt", SpanKind.PRODUCER),
          Operation.of("validate card", SpanKind.INTERNAL));
      assertThat(store.serviceNames().operations(TENANT, "gateway", null)).containsExactly(
          Operation.of("GET /legacy", SpanKind.SERVER),
          Operation.of("GET /legacy", SpanKind.CLIENT));
    }

    @Test
    void operationsFilteredByKind() throws IOException {
      requires(SERVICE_NAMES);
      acceptAllFixtures();

      assertThat(store.serviceNames().operations(TENANT, "frontend", SpanKind.CLIENT))
          .containsExactly(
              Operation.of("GET /products", SpanKind.CLIENT),
              Operation.of("POST /auth/verify", SpanKind.CLIENT),
              Operation.of("POST /pay", SpanKind.CLIENT));
      assertThat(store.serviceNames().operations(TENANT, "frontend", SpanKind.CONSUMER)).isEmpty();
    }

    @Test
    void operationsOfUnknownServiceAreEmpty() throws IOException {
      requires(SERVICE_NAMES);
      acceptAllFixtures();

      assertThat(store.serviceNames().operations(TENANT, "no-such-service", null)).isEmpty();
    }

    @Test
    void remoteServicesAreThePeersOfClientAndProducerSpans() throws IOException {
      requires(SERVICE_NAMES);
      acceptAllFixtures();

      assertThat(store.serviceNames().remoteServices(TENANT, "frontend"))
          .containsExactly("auth", "payment", "product");
      assertThat(store.serviceNames().remoteServices(TENANT, "payment"))
          .containsExactly("notifier", "stripe");
      assertThat(store.serviceNames().remoteServices(TENANT, "auth")).isEmpty();
    }

    @Test
    void remoteServiceFallsBackToServerAddress() throws IOException {
      requires(SERVICE_NAMES);
      acceptAllFixtures();

      assertThat(store.serviceNames().remoteServices(TENANT, "catalog"))
          .containsExactly("catalog-db.internal", "pricing");
    }
  }

  /** Attribute keys and values for autocomplete. */
  @Nested
  public class AttributeKeysAndValues {
    @Test
    void keysOfSpanAndResourceAttributesSorted() throws IOException {
      requires(ATTRIBUTE_NAMES);
      acceptAllFixtures();

      List<String> keys = store.attributeNames().keys(TENANT, null);

      assertThat(keys).contains("service.name", "deployment.environment", "cloud.region",
          "http.route", "payment.amount", "db.system", "peer.service", "archive.segment");
      assertThat(keys).isSorted().doesNotHaveDuplicates().doesNotContain("attempt");
    }

    @Test
    void keysOfOneService() throws IOException {
      requires(ATTRIBUTE_NAMES);
      acceptAllFixtures();

      List<String> keys = store.attributeNames().keys(TENANT, "auth");

      assertThat(keys).contains("auth.method", "enduser.role", "http.route", "service.name",
          "deployment.environment");
      assertThat(keys).doesNotContain("payment.card", "cloud.region", "user.id").isSorted();
    }

    @Test
    void valuesSorted() throws IOException {
      requires(ATTRIBUTE_NAMES);
      acceptAllFixtures();

      assertThat(store.attributeNames().values(TENANT, "http.route", "", 100)).containsExactly(
          "/auth/verify", "/charge", "/checkout", "/items", "/legacy", "/price", "/products");
    }

    @Test
    void valuesWithPrefix() throws IOException {
      requires(ATTRIBUTE_NAMES);
      acceptAllFixtures();

      assertThat(store.attributeNames().values(TENANT, "http.route", "/ch", 100))
          .containsExactly("/charge", "/checkout");
      assertThat(store.attributeNames().values(TENANT, "http.route", "/p", 100))
          .containsExactly("/price", "/products");
      assertThat(store.attributeNames().values(TENANT, "http.route", "/x", 100)).isEmpty();
    }

    @Test
    void valuesLimited() throws IOException {
      requires(ATTRIBUTE_NAMES);
      acceptAllFixtures();

      assertThat(store.attributeNames().values(TENANT, "http.route", "", 2))
          .containsExactly("/auth/verify", "/charge");
    }

    @Test
    void valuesOfResourceAttribute() throws IOException {
      requires(ATTRIBUTE_NAMES);
      acceptAllFixtures();

      assertThat(store.attributeNames().values(TENANT, "deployment.environment", "", 100))
          .containsExactly("canary", "prod");
    }

    @Test
    void valuesOfUnknownKeyAreEmpty() throws IOException {
      requires(ATTRIBUTE_NAMES);
      acceptAllFixtures();

      assertThat(store.attributeNames().values(TENANT, "no.such.key", "", 100)).isEmpty();
    }
  }

  /** Service-to-service call edges. */
  @Nested
  public class Dependencies {
    @Test
    void edgesOfEveryTraceInTheWindowSorted() throws IOException {
      requires(DEPENDENCIES);
      acceptAllFixtures();

      assertThat(dependencies(base - HOUR, base + HOUR)).containsExactly(
          DependencyLink.of("catalog", "pricing", 5, 1),
          DependencyLink.of("frontend", "auth", 1, 0),
          DependencyLink.of("frontend", "payment", 1, 1),
          DependencyLink.of("frontend", "product", 1, 0),
          DependencyLink.of("gateway", "legacy-api", 1, 0),
          DependencyLink.of("legacy-api", "legacy-db", 1, 0),
          DependencyLink.of("payment", "notifier", 1, 0),
          DependencyLink.of("payment", "stripe", 1, 1),
          DependencyLink.of("product", "inventory", 1, 0),
          DependencyLink.of("product", "postgres", 1, 0),
          DependencyLink.of("reporter", "s3", 1, 0),
          DependencyLink.of("scheduler", "reporter", 1, 0));
    }

    @Test
    void peerServiceCountsOnlyWhenNoInstrumentedCalleeAnswered() throws IOException {
      requires(DEPENDENCIES);
      accept(trace("checkout").spans());

      // frontend's client spans name auth, product and payment as peer.service, but those answered
      // with their own spans: one call each, not two. postgres and stripe only appear as peers.
      assertThat(dependencies(base - HOUR, base + HOUR)).containsExactly(
          DependencyLink.of("frontend", "auth", 1, 0),
          DependencyLink.of("frontend", "payment", 1, 1),
          DependencyLink.of("frontend", "product", 1, 0),
          DependencyLink.of("payment", "notifier", 1, 0),
          DependencyLink.of("payment", "stripe", 1, 1),
          DependencyLink.of("product", "inventory", 1, 0),
          DependencyLink.of("product", "postgres", 1, 0));
    }

    @Test
    void sharedClientAndServerSpanCountOneCall() throws IOException {
      requires(DEPENDENCIES);
      accept(trace("shared").spans());

      assertThat(dependencies(base - HOUR, base + HOUR)).containsExactly(
          DependencyLink.of("gateway", "legacy-api", 1, 0),
          DependencyLink.of("legacy-api", "legacy-db", 1, 0));
    }

    @Test
    void onlyCallsStartingInTheRangeCount() throws IOException {
      requires(DEPENDENCIES);
      acceptAllFixtures();

      assertThat(dependencies(base - 35 * MINUTE, base))
          .containsExactly(DependencyLink.of("catalog", "pricing", 3, 1));
      assertThat(dependencies(base - 4 * HOUR, base - 2 * HOUR))
          .containsExactly(DependencyLink.of("archive", "archive-db", 1, 0));
      assertThat(dependencies(base - 4 * HOUR, base - HOUR)).containsExactly(
          DependencyLink.of("archive", "archive-db", 1, 0),
          DependencyLink.of("billing", "ledger", 1, 0));
      assertThat(dependencies(base - 10 * HOUR, base - 5 * HOUR)).isEmpty();
    }

    @Test
    void edgeAppearsWhenALateParentArrives() throws IOException {
      requires(DEPENDENCIES);
      accept(trace("late-root").batch(0));
      assertThat(dependencies(base - HOUR, base + HOUR))
          .containsExactly(DependencyLink.of("reporter", "s3", 1, 0));

      accept(trace("late-root").batch(1));

      assertThat(dependencies(base - HOUR, base + HOUR)).containsExactly(
          DependencyLink.of("reporter", "s3", 1, 0),
          DependencyLink.of("scheduler", "reporter", 1, 0));
    }

    @Test
    void replayedSpansAreCountedOnce() throws IOException {
      requires(DEPENDENCIES);
      accept(trace("checkout").spans());
      List<DependencyLink> once = dependencies(base - HOUR, base + HOUR);

      accept(trace("checkout").spans());
      accept(trace("checkout").spans().subList(0, 7));

      assertThat(dependencies(base - HOUR, base + HOUR)).isEqualTo(once).hasSize(7);
    }
  }

  /** {@code deleteBefore(cutoff)}: whole traces before the cutoff go, with their rollups. */
  @Nested
  public class Retention {
    @BeforeEach
    void writeAndDelete() throws IOException {
      requires(RETENTION);
      acceptAllFixtures();
      store.deleteBefore(base - 2 * HOUR);
      store.flush();
    }

    @Test
    void tracesWhollyBeforeTheCutoffAreDeleted() throws IOException {
      requires(TRACE_BY_ID);

      assertThat(getTrace(traceId("old"))).isEmpty();
    }

    @Test
    void traceWithASpanAfterTheCutoffIsKeptWhole() throws IOException {
      requires(TRACE_BY_ID);

      assertThat(getTrace(traceId("straddle")))
          .containsExactlyElementsOf(trace("straddle").spansByStart());
      assertThat(getTrace(traceId("checkout"))).hasSize(14);
    }

    @Test
    void deletedTracesAreNotFound() throws IOException {
      assertThat(search(query().serviceName("archive")
          .startEpochNanos(base - 4 * HOUR).endEpochNanos(base))).isEmpty();
      assertThat(searchIds(query().serviceName("ledger")
          .startEpochNanos(base - 4 * HOUR).endEpochNanos(base)))
          .containsExactly(traceId("straddle"));
    }

    @Test
    void namesSeenOnlyInDeletedTracesAreForgotten() throws IOException {
      requires(SERVICE_NAMES);

      assertThat(store.serviceNames().services(TENANT))
          .doesNotContain("archive").contains("billing", "ledger", "frontend");
      assertThat(store.serviceNames().operations(TENANT, "archive", null)).isEmpty();
      assertThat(store.serviceNames().remoteServices(TENANT, "archive")).isEmpty();
    }

    @Test
    void dependenciesOfDeletedTracesAreForgotten() throws IOException {
      assertThat(dependencies(base - 4 * HOUR, base - HOUR))
          .containsExactly(DependencyLink.of("billing", "ledger", 1, 0));
      assertThat(dependencies(base - HOUR, base + HOUR)).hasSize(12);
    }
  }

  /** A backend that lacks a capability says so instead of answering empty. */
  @Nested
  public class Capabilities {
    @ParameterizedTest
    @EnumSource(StorageCapability.class)
    void missingCapabilityIsRefusedNotAnsweredEmpty(StorageCapability capability)
        throws IOException {
      assumeFalse(store.has(capability), () -> "the store declares " + capability);
      acceptAllFixtures();

      Throwable thrown = catchThrowable(() -> ask(capability));

      assertThat(thrown).as("asking a store without %s", capability)
          .isInstanceOf(UnsupportedQueryException.class);
      assertThat(store.has(((UnsupportedQueryException) thrown).capability()))
          .as("the capability named by the exception is one the store lacks").isFalse();
    }

    private void ask(StorageCapability capability) throws IOException {
      switch (capability) {
        case TRACE_BY_ID:
          store.traceReader().getTrace(TENANT, traceId("checkout"));
          break;
        case SEARCH_BY_SERVICE:
          store.traceSearch().search(query().serviceName("frontend").build());
          break;
        case SEARCH_WITHOUT_SERVICE:
          store.traceSearch().search(query().build());
          break;
        case SEARCH_BY_ATTRIBUTE:
          store.traceSearch().search(query().serviceName("frontend")
              .addAttributeFilter(AttributeFilter.equalTo("user.id", "u-1234")).build());
          break;
        case SEARCH_BY_DURATION:
          store.traceSearch().search(query().serviceName("frontend")
              .minDurationNanos(MILLI).build());
          break;
        case SERVICE_NAMES:
          store.serviceNames().services(TENANT);
          break;
        case ATTRIBUTE_NAMES:
          store.attributeNames().keys(TENANT, null);
          break;
        case DEPENDENCIES:
          store.dependencyReader().dependencies(TENANT, base - HOUR, base + HOUR);
          break;
        case RETENTION:
          store.deleteBefore(base - 2 * HOUR);
          break;
      }
    }
  }
}
