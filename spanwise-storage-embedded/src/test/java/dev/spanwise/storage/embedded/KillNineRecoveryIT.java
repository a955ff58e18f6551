package dev.spanwise.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.model.Span;
import dev.spanwise.storage.DependencyLink;
import dev.spanwise.storage.Tenants;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM writes and commits, keeps writing, and is killed with SIGKILL; the store opens at
 * its last commit, and replaying everything (as the write-ahead log would) stores each span once
 * with the same rollups as a clean run.
 */
class KillNineRecoveryIT {
  static final long START = 1_767_225_600_000_000_000L;
  static final int COMMITTED_BATCHES = 20;

  @TempDir Path dir;
  @TempDir Path cleanDir;

  /** The child: writes {@link #COMMITTED_BATCHES}, flushes, says so, then writes until killed. */
  public static void main(String[] args) throws IOException {
    WorkloadGenerator generator = new WorkloadGenerator(3, START, 2_000_000L);
    EmbeddedSpanStore store = EmbeddedSpanStore.open(Path.of(args[0]),
        EmbeddedSpanStore.Options.builder().commitInterval(Duration.ofMillis(200)).build());
    for (int b = 0; b < COMMITTED_BATCHES; b++) {
      store.spanConsumer().accept(Tenants.DEFAULT, generator.nextBatch(500));
    }
    store.flush();
    System.out.println("COMMITTED");
    System.out.flush();
    for (long b = 0; ; b++) {
      store.spanConsumer().accept(Tenants.DEFAULT, generator.nextBatch(500));
      if (b == 5) {
        System.out.println("WRITING");
        System.out.flush();
      }
    }
  }

  @Test
  void killedWriterRecoversAtItsLastCommitAndReplayAddsNothingTwice() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        KillNineRecoveryIT.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.equals("WRITING")) break;
      }
      assertThat(lines).as("child output").contains("COMMITTED", "WRITING");
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }

    // What the committed part holds, and what a full replay gives, computed on a clean store.
    WorkloadGenerator generator = new WorkloadGenerator(3, START, 2_000_000L);
    List<List<Span>> committed = new ArrayList<>();
    for (int b = 0; b < COMMITTED_BATCHES; b++) committed.add(generator.nextBatch(500));
    List<List<Span>> later = new ArrayList<>();
    for (int b = 0; b < 10; b++) later.add(generator.nextBatch(500));
    List<DependencyLink> expected;
    try (EmbeddedSpanStore clean = EmbeddedSpanStore.open(cleanDir)) {
      for (List<Span> batch : committed) clean.spanConsumer().accept(Tenants.DEFAULT, batch);
      for (List<Span> batch : later) clean.spanConsumer().accept(Tenants.DEFAULT, batch);
      clean.flush();
      expected = clean.dependencyReader().dependencies(Tenants.DEFAULT, 0, Long.MAX_VALUE);
    }

    try (EmbeddedSpanStore store = EmbeddedSpanStore.open(dir)) {
      for (Span s : committed.get(0)) {
        assertThat(store.traceReader().getTrace(Tenants.DEFAULT, s.traceId())).isNotEmpty();
      }
      // the write-ahead log replays from before the last commit
      for (List<Span> batch : committed) store.spanConsumer().accept(Tenants.DEFAULT, batch);
      for (List<Span> batch : later) store.spanConsumer().accept(Tenants.DEFAULT, batch);
      store.flush();

      assertThat(store.dependencyReader().dependencies(Tenants.DEFAULT, 0, Long.MAX_VALUE))
          .isEqualTo(expected);
      for (List<Span> batch : committed) {
        for (Span s : batch) {
          List<Span> trace = store.traceReader().getTrace(Tenants.DEFAULT, s.traceId());
          assertThat(trace.stream().filter(t -> t.spanId() == s.spanId() && t.kind() == s.kind()))
              .hasSize(1);
        }
      }
    }
  }
}
