package dev.spanwise.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesGoStyleDurations() {
    assertThat(Durations.parse("1.2s")).isEqualTo(1_200_000_000L);
    assertThat(Durations.parse("100ms")).isEqualTo(100_000_000L);
    assertThat(Durations.parse("50us")).isEqualTo(50_000L);
    assertThat(Durations.parse("50\u00b5s")).isEqualTo(50_000L);
    assertThat(Durations.parse("7ns")).isEqualTo(7L);
    assertThat(Durations.parse("1h30m")).isEqualTo(5_400_000_000_000L);
    assertThat(Durations.parse("2d")).isEqualTo(172_800_000_000_000L);
    assertThat(Durations.parse("0")).isZero();
  }

  @Test
  void rejectsMalformedDurations() {
    assertThatThrownBy(() -> Durations.parse("10")).hasMessageContaining("needs a unit");
    assertThatThrownBy(() -> Durations.parse("10y")).hasMessageContaining("unknown unit 'y'");
    assertThatThrownBy(() -> Durations.parse("-1s")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Durations.parse("ms")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("1..2s")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Durations.parse("99999999999h")).hasMessageContaining("too large");
  }
}
