package dev.spanwise.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReceiverLimitsTest {
  @Test
  void defaults() {
    ReceiverLimits limits = ReceiverLimits.defaults();

    assertThat(limits.maxBodyBytes()).isEqualTo(20 * 1024 * 1024);
    assertThat(limits.maxInFlightBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(limits.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(limits.inFlightBytes()).isZero();
  }

  @Test
  void badValuesThrowNamingTheField() {
    assertThatThrownBy(() -> ReceiverLimits.builder().maxBodyBytes(0))
        .hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> ReceiverLimits.builder().maxBodyBytes(4L * 1024 * 1024 * 1024))
        .hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> ReceiverLimits.builder().maxInFlightBytes(-1))
        .hasMessageContaining("maxInFlightBytes");
    assertThatThrownBy(() -> ReceiverLimits.builder().retryAfter(Duration.ofMillis(10)))
        .hasMessageContaining("retryAfter");
    assertThatThrownBy(() -> ReceiverLimits.builder().retryAfter(null))
        .hasMessageContaining("retryAfter");
    assertThatThrownBy(() -> ReceiverLimits.builder().maxBodyBytes(2000).maxInFlightBytes(1000)
        .build())
        .hasMessageContaining("maxInFlightBytes").hasMessageContaining("maxBodyBytes");
  }

  @Test
  void eachInstanceHasItsOwnBudget() {
    ReceiverLimits a = ReceiverLimits.builder().maxBodyBytes(10).maxInFlightBytes(10).build();
    ReceiverLimits b = ReceiverLimits.builder().maxBodyBytes(10).maxInFlightBytes(10).build();

    assertThat(a.budget().tryReserve(10)).isNotNull();
    assertThat(a.budget().tryReserve(1)).isNull();
    assertThat(b.budget().tryReserve(10)).isNotNull();
    assertThat(a.inFlightBytes()).isEqualTo(10);
  }
}
