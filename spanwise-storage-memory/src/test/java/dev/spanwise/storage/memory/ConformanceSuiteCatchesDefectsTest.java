package dev.spanwise.storage.memory;

import static dev.spanwise.storage.StorageCapability.SEARCH_BY_SERVICE;
import static dev.spanwise.storage.StorageCapability.SERVICE_NAMES;
import static dev.spanwise.storage.StorageCapability.TRACE_BY_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;

import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.storage.AttributeNames;
import dev.spanwise.storage.DependencyReader;
import dev.spanwise.storage.SpanConsumer;
import dev.spanwise.storage.SpanStore;
import dev.spanwise.storage.StorageCapability;
import dev.spanwise.storage.TraceQuery;
import dev.spanwise.storage.TraceReader;
import dev.spanwise.storage.TraceSearch;
import dev.spanwise.storage.UnsupportedQueryException;
import dev.spanwise.storage.tests.SpanStoreConformanceTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the conformance suite against broken variants of the in-memory store: a suite that passes a
 * broken store would prove nothing. Also runs it against a correctly limited store, which must pass
 * with the tests of its missing capabilities skipped.
 */
class ConformanceSuiteCatchesDefectsTest {
  private static final Set<StorageCapability> LIMITED =
      Collections.unmodifiableSet(EnumSet.of(TRACE_BY_ID, SEARCH_BY_SERVICE, SERVICE_NAMES));

  @Test
  void limitedStoreThatRefusesWhatItLacksPasses() {
    TestExecutionSummary summary = run(LimitedStoreSuite.class);

    assertThat(failedTests(summary)).isEmpty();
    assertThat(summary.getTestsSucceededCount()).isGreaterThan(20);
    // tests needing the 6 missing capabilities are skipped through assumptions ("aborted")...
    assertThat(summary.getTestsAbortedCount()).isGreaterThan(20);
    // ...while the checks that those 6 are refused ran and passed
    assertThat(summary.getTestsSucceededCount() + summary.getTestsAbortedCount())
        .isEqualTo(summary.getTestsFoundCount());
  }

  @Test
  void storeAnsweringEmptyInsteadOfRefusingFails() {
    TestExecutionSummary summary = run(AnswersWhatItDoesNotDeclareSuite.class, SpanStoreConformanceTest.Capabilities.class);

    assertThat(failedTests(summary)).hasSize(6)
        .allMatch(name -> name.contains("missingCapabilityIsRefusedNotAnsweredEmpty"));
  }

  @Test
  void storeReturningSpansOutOfOrderFails() {
    assertThat(failedTests(run(UnorderedTraceSuite.class, SpanStoreConformanceTest.TraceById.class)))
        .contains("returnsAllSpansOrderedByStart()", "getTracesKeepsTheAskedOrderAndSkipsUnknownIds()");
  }

  @Test
  void storeDroppingResourceAttributesFails() {
    assertThat(failedTests(run(DropsResourceAttributesSuite.class)))
        .contains("keepsEveryFieldOfTheSpan()", "byResourceAttribute()");
  }

  @Test
  void storeIgnoringErrorOnlyFails() {
    assertThat(failedTests(run(IgnoresErrorOnlySuite.class, SpanStoreConformanceTest.Search.class))).containsExactly("errorOnly()");
  }

  @Test
  void storeMatchingAttributesAcrossSpansFails() {
    assertThat(failedTests(run(MatchesAcrossSpansSuite.class, SpanStoreConformanceTest.Search.class)))
        .contains("severalAttributesOnDifferentSpansDoNotMatch()");
  }

  @Test
  void storeThatDoesNotDeleteFails() {
    assertThat(failedTests(run(NeverDeletesSuite.class, SpanStoreConformanceTest.Retention.class))).contains(
        "tracesWhollyBeforeTheCutoffAreDeleted()", "deletedTracesAreNotFound()",
        "namesSeenOnlyInDeletedTracesAreForgotten()", "dependenciesOfDeletedTracesAreForgotten()");
  }

  /** Runs the whole suite. */
  private static TestExecutionSummary run(Class<?> suite) {
    TestExecutionSummary summary = execute(selectClass(suite));
    assertThat(summary.getTestsFoundCount()).as("tests found in %s", suite).isGreaterThan(60);
    return summary;
  }

  /** Runs one group of the suite. */
  private static TestExecutionSummary run(Class<?> suite, Class<?> group) {
    TestExecutionSummary summary = execute(selectNestedClass(List.of(suite), group));
    assertThat(summary.getTestsFoundCount()).as("tests found in %s", group).isGreaterThan(3);
    return summary;
  }

  private static TestExecutionSummary execute(DiscoverySelector selector) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selector).build(),
        listener);
    return listener.getSummary();
  }

  private static List<String> failedTests(TestExecutionSummary summary) {
    List<String> names = new ArrayList<>();
    for (TestExecutionSummary.Failure f : summary.getFailures()) {
      names.add(f.getTestIdentifier().getDisplayName()
          + (f.getTestIdentifier().isTest() && f.getTestIdentifier().getDisplayName().startsWith("[")
              ? " " + f.getTestIdentifier().getUniqueId() : ""));
    }
    return names;
  }

  // --------------------------------------------------------------------- the stores under test

  /** Declares LIMITED and refuses everything else, as a backend should. */
  static class LimitedStore extends ForwardingSpanStore {
    final boolean refuse;

    LimitedStore(boolean refuse) {
      super(InMemorySpanStore.create());
      this.refuse = refuse;
    }

    @Override
    public Set<StorageCapability> capabilities() {
      return LIMITED;
    }

    void check(StorageCapability c) {
      if (refuse && !LIMITED.contains(c)) throw new UnsupportedQueryException(c, "no " + c);
    }

    @Override
    public TraceSearch traceSearch() {
      return query -> {
        check(query.serviceName() == null
            ? StorageCapability.SEARCH_WITHOUT_SERVICE : SEARCH_BY_SERVICE);
        if (!query.attributeFilters().isEmpty()) check(StorageCapability.SEARCH_BY_ATTRIBUTE);
        if (query.hasDurationFilter()) check(StorageCapability.SEARCH_BY_DURATION);
        return delegate.traceSearch().search(query);
      };
    }

    @Override
    public AttributeNames attributeNames() {
      check(StorageCapability.ATTRIBUTE_NAMES);
      return delegate.attributeNames();
    }

    @Override
    public DependencyReader dependencyReader() {
      check(StorageCapability.DEPENDENCIES);
      return delegate.dependencyReader();
    }

    @Override
    public void deleteBefore(long cutoffEpochNanos) throws java.io.IOException {
      check(StorageCapability.RETENTION);
      delegate.deleteBefore(cutoffEpochNanos);
    }
  }

  static class LimitedStoreSuite extends SpanStoreConformanceTest {
    @Override
    protected SpanStore openStore(Path dir) {
      return new LimitedStore(true);
    }
  }

  static class AnswersWhatItDoesNotDeclareSuite extends SpanStoreConformanceTest {
    @Override
    protected SpanStore openStore(Path dir) {
      return new LimitedStore(false);
    }
  }

  static class UnorderedTraceSuite extends SpanStoreConformanceTest {
    @Override
    protected SpanStore openStore(Path dir) {
      return new ForwardingSpanStore(InMemorySpanStore.create()) {
        @Override
        public TraceReader traceReader() {
          return (tenant, traceId) -> {
            List<Span> spans = new ArrayList<>(delegate.traceReader().getTrace(tenant, traceId));
            Collections.reverse(spans);
            return spans;
          };
        }
      };
    }
  }

  static class DropsResourceAttributesSuite extends SpanStoreConformanceTest {
    @Override
    protected SpanStore openStore(Path dir) {
      return new ForwardingSpanStore(InMemorySpanStore.create()) {
        @Override
        public SpanConsumer spanConsumer() {
          return (tenant, spans) -> {
            List<Span> stripped = new ArrayList<>();
            for (Span s : spans) {
              stripped.add(s.toBuilder().resource(Resource.ofServiceName(s.serviceName())).build());
            }
            delegate.spanConsumer().accept(tenant, stripped);
          };
        }
      };
    }
  }

  static class IgnoresErrorOnlySuite extends SpanStoreConformanceTest {
    @Override
    protected SpanStore openStore(Path dir) {
      return new ForwardingSpanStore(InMemorySpanStore.create()) {
        @Override
        public TraceSearch traceSearch() {
          return query -> delegate.traceSearch().search(copy(query).errorOnly(false).build());
        }
      };
    }
  }

  /** Checks each attribute filter separately, so they may hold on different spans. */
  static class MatchesAcrossSpansSuite extends SpanStoreConformanceTest {
    @Override
    protected SpanStore openStore(Path dir) {
      return new ForwardingSpanStore(InMemorySpanStore.create()) {
        @Override
        public TraceSearch traceSearch() {
          return query -> {
            if (query.attributeFilters().size() < 2) return delegate.traceSearch().search(query);
            Set<String> hits = null;
            for (var filter : query.attributeFilters()) {
              TraceQuery.Builder one = copyWithoutAttributes(query);
              Set<String> ids = new TreeSet<>();
              delegate.traceSearch().search(one.addAttributeFilter(filter).build())
                  .forEach(s -> ids.add(s.traceId().toHex()));
              if (hits == null) {
                hits = ids;
              } else {
                hits.retainAll(ids);
              }
            }
            Set<String> found = hits;
            return delegate.traceSearch().search(copyWithoutAttributes(query).build()).stream()
                .filter(s -> found.contains(s.traceId().toHex())).toList();
          };
        }
      };
    }
  }

  static class NeverDeletesSuite extends SpanStoreConformanceTest {
    @Override
    protected SpanStore openStore(Path dir) {
      return new ForwardingSpanStore(InMemorySpanStore.create()) {
        @Override
        public void deleteBefore(long cutoffEpochNanos) {}
      };
    }
  }

  static TraceQuery.Builder copy(TraceQuery q) {
    TraceQuery.Builder b = copyWithoutAttributes(q);
    q.attributeFilters().forEach(b::addAttributeFilter);
    return b;
  }

  static TraceQuery.Builder copyWithoutAttributes(TraceQuery q) {
    return TraceQuery.builder().tenant(q.tenant()).serviceName(q.serviceName())
        .spanName(q.spanName()).spanKind(q.spanKind()).errorOnly(q.errorOnly())
        .minDurationNanos(q.minDurationNanos()).maxDurationNanos(q.maxDurationNanos())
        .startEpochNanos(q.startEpochNanos()).endEpochNanos(q.endEpochNanos()).limit(q.limit());
  }
}
