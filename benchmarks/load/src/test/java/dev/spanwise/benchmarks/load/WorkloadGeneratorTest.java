package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.benchmarks.load.LoadSpan.Kind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {
  static final long NOW = 1_764_000_000_000_000_000L;

  static WorkloadGenerator generator(long seed) {
    return new WorkloadGenerator(seed, () -> NOW);
  }

  @Test
  void tracesAreWellFormedTrees() {
    WorkloadGenerator g = generator(1);
    for (int t = 0; t < 3000; t++) {
      LoadTrace trace = g.nextTrace();
      List<LoadSpan> spans = trace.spans();
      assertThat(spans).hasSizeBetween(WorkloadGenerator.MIN_SPANS, WorkloadGenerator.MAX_SPANS);
      assertThat(trace.root().parentSpanId()).isZero();
      Map<Long, LoadSpan> byId = new HashMap<>();
      for (LoadSpan s : spans) {
        assertThat(s.traceId()).isEqualTo(trace.traceId());
        assertThat(s.spanId()).isNotZero();
        assertThat(byId.put(s.spanId(), s)).as("duplicate span id").isNull();
        assertThat(s.endEpochNanos()).isGreaterThanOrEqualTo(s.startEpochNanos());
        assertThat(s.attributes()).hasSizeBetween(WorkloadGenerator.MIN_ATTRIBUTES,
            WorkloadGenerator.MAX_ATTRIBUTES);
        if (s != trace.root()) {
          LoadSpan parent = byId.get(s.parentSpanId());
          assertThat(parent).as("parent listed before child").isNotNull();
          assertThat(s.startEpochNanos()).isGreaterThanOrEqualTo(parent.startEpochNanos());
          assertThat(s.endEpochNanos()).isLessThanOrEqualTo(parent.endEpochNanos());
          if (s.kind() == Kind.SERVER) {
            assertThat(parent.kind()).isEqualTo(Kind.CLIENT);
            assertThat(parent.instance().service()).isNotEqualTo(s.instance().service());
            assertThat(parent.remoteService()).isEqualTo(s.instance().service());
          } else {
            assertThat(parent.kind()).as("CLIENT and INTERNAL spans sit in a SERVER span")
                .isEqualTo(Kind.SERVER);
            assertThat(s.instance()).isEqualTo(parent.instance());
          }
        } else {
          assertThat(s.kind()).isEqualTo(Kind.SERVER);
          assertThat(s.instance().service()).isEqualTo("frontend");
        }
      }
    }
  }

  @Test
  void coversTheShopAndItsBackends() {
    WorkloadGenerator g = generator(2);
    Set<String> services = new HashSet<>();
    Set<Object> dbSystems = new HashSet<>();
    Set<Integer> sizes = new HashSet<>();
    int withEvents = 0;
    int spans = 0;
    for (int t = 0; t < 2000; t++) {
      LoadTrace trace = g.nextTrace();
      sizes.add(trace.spans().size());
      for (LoadSpan s : trace.spans()) {
        spans++;
        services.add(s.instance().service());
        if (s.attributes().containsKey("db.system")) {
          dbSystems.add(s.attributes().get("db.system"));
          assertThat(s.attributes()).containsKey("db.statement");
        }
        if (!s.events().isEmpty()) withEvents++;
        if (s.kind() == Kind.SERVER && s.attributes().containsKey("http.request.method")) {
          assertThat(s.attributes().get("http.response.status_code")).isInstanceOf(Long.class);
          assertThat(s.attributes()).containsKey("url.path");
        }
      }
    }
    assertThat(services).containsExactlyInAnyOrderElementsOf(ShopTopology.SERVICES);
    assertThat(dbSystems).contains("postgresql", "mysql", "mongodb", "redis", "elasticsearch");
    assertThat(sizes).contains(5, 40).hasSizeGreaterThan(30);
    assertThat(withEvents).isBetween(spans / 50, spans / 5);
  }

  @Test
  void aboutTwoPercentOfTracesFailFromALeafToTheRoot() {
    WorkloadGenerator g = generator(3);
    int traces = 20_000;
    int errors = 0;
    for (int t = 0; t < traces; t++) {
      LoadTrace trace = g.nextTrace();
      long errorSpans = trace.spans().stream().filter(LoadSpan::error).count();
      long exceptions = trace.spans().stream()
          .flatMap(s -> s.events().stream()).filter(e -> e.name().equals("exception")).count();
      if (trace.error()) {
        errors++;
        assertThat(trace.root().error()).isTrue();
        assertThat(trace.root().attributes().get("http.response.status_code")).isEqualTo(500L);
        assertThat(exceptions).isEqualTo(1);
        assertThat(errorSpans).isGreaterThanOrEqualTo(2);
        for (LoadSpan s : trace.spans()) {
          if (s.error()) assertThat(s.statusMessage()).isNotBlank();
          if (s.error()) assertThat(s.attributes()).containsKey("error.type");
        }
      } else {
        assertThat(errorSpans).isZero();
        assertThat(exceptions).isZero();
      }
    }
    // Binomial(20000, 0.02): standard deviation 0.1 percentage point.
    assertThat(100.0 * errors / traces).isBetween(1.5, 2.5);
  }

  @Test
  void durationsAreRealisticAndEndAboutNow() {
    WorkloadGenerator g = generator(4);
    for (int t = 0; t < 500; t++) {
      LoadSpan root = g.nextTrace().root();
      assertThat(root.durationNanos()).isBetween(8_000_000L, 1_200_000_000L);
      assertThat(root.endEpochNanos()).isBetween(NOW - 1_000_000_000L, NOW);
    }
  }

  @Test
  void sameSeedSameTraces() {
    WorkloadGenerator a = generator(7);
    WorkloadGenerator b = generator(7);
    WorkloadGenerator c = generator(8);
    for (int t = 0; t < 50; t++) {
      LoadTrace ta = a.nextTrace();
      assertThat(ta).isEqualTo(b.nextTrace());
      assertThat(ta.traceId()).isNotEqualTo(c.nextTrace().traceId());
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new WorkloadGenerator(1, () -> NOW, 1.5))
        .hasMessageContaining("errorRate");
    assertThatThrownBy(() -> new WorkloadGenerator(1, null)).hasMessageContaining("epochNanosClock");
  }
}
