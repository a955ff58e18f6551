package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {

  @Test
  void parsesStatAndStatus() {
    String stat = "4242 (java (main)) S 1 4242 4242 0 -1 4194304 52000 0 3 0 1234 567 0 0 20 0 "
        + "40 0 123456 5000000000 80000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0";
    List<String> status = List.of("Name:\tjava", "VmHWM:\t  524288 kB", "VmRSS:\t  262144 kB");
    ProcessStats s = ProcessStats.parse(stat, status);
    assertThat(s.cpuNanos()).isEqualTo((1234 + 567) * 10_000_000L);
    assertThat(s.rssBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(s.peakRssBytes()).isEqualTo(512L * 1024 * 1024);
  }

  @Test
  void readsThisProcess() {
    ProcessStats s = ProcessStats.readSelf();
    assertThat(s.rssBytes()).isPositive();
    assertThat(s.peakRssBytes()).isGreaterThanOrEqualTo(s.rssBytes());
  }
}
