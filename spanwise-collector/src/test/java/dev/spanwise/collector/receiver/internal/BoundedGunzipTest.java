package dev.spanwise.collector.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BoundedGunzipTest {
  final InFlightBudget budget = new InFlightBudget(10 * 1024 * 1024);

  @Test
  void inflatesWithinTheLimitAndHoldsCompressedPlusInflated() throws IOException {
    byte[] original = new byte[300_000];
    new Random(1).nextBytes(original);
    byte[] compressed = gzip(original);
    Reservation r = budget.tryReserve(compressed.length);

    byte[] inflated = BoundedGunzip.gunzip(compressed, 300_000, r, Duration.ofSeconds(1));

    assertThat(inflated).isEqualTo(original);
    assertThat(r.held()).isEqualTo(compressed.length + 300_000L);
  }

  @Test
  void stopsOneByteAboveTheLimit() throws IOException {
    byte[] compressed = gzip(new byte[5_000_000]);
    Reservation r = budget.tryReserve(compressed.length);

    RefusedException e = catchThrowableOfType(RefusedException.class,
        () -> BoundedGunzip.gunzip(compressed, 100_000, r, Duration.ofSeconds(1)));

    assertThat(e.kind()).isEqualTo(RefusedException.Kind.TOO_LARGE);
    assertThat(e.getMessage()).contains("100000");
    // the output never grew past limit + 1 bytes
    assertThat(r.held()).isLessThanOrEqualTo(compressed.length + 100_001L);
  }

  @Test
  void exactlyTheLimitIsAccepted() throws IOException {
    byte[] compressed = gzip(new byte[65_536]);
    byte[] inflated = BoundedGunzip.gunzip(
        compressed, 65_536, budget.tryReserve(compressed.length), Duration.ofSeconds(1));
    assertThat(inflated).hasSize(65_536);
  }

  @Test
  void overBudgetWhileInflatingIsOverloaded() throws IOException {
    InFlightBudget small = new InFlightBudget(200_000);
    byte[] compressed = gzip(new byte[1_000_000]);
    Reservation r = small.tryReserve(compressed.length);

    RefusedException e = catchThrowableOfType(RefusedException.class,
        () -> BoundedGunzip.gunzip(compressed, 2_000_000, r, Duration.ofSeconds(9)));

    assertThat(e.kind()).isEqualTo(RefusedException.Kind.OVERLOADED);
    assertThat(e.retryAfterSeconds()).isEqualTo(9);
  }

  @Test
  void malformedGzipIsInvalid() {
    byte[] notGzip = "plain text".getBytes();
    RefusedException e = catchThrowableOfType(RefusedException.class,
        () -> BoundedGunzip.gunzip(notGzip, 1000, budget.tryReserve(10), Duration.ofSeconds(1)));
    assertThat(e.kind()).isEqualTo(RefusedException.Kind.INVALID);
    assertThat(e.getMessage()).contains("gzip");
  }

  @Test
  void truncatedGzipIsInvalid() throws IOException {
    byte[] compressed = gzip(new byte[10_000]);
    byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);
    RefusedException e = catchThrowableOfType(RefusedException.class,
        () -> BoundedGunzip.gunzip(truncated, 100_000, budget.tryReserve(10),
            Duration.ofSeconds(1)));
    assertThat(e.kind()).isEqualTo(RefusedException.Kind.INVALID);
  }

  @Test
  void retryAfterSecondsRoundsUpToAtLeastOne() {
    assertThat(RefusedException.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(RefusedException.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
    assertThat(RefusedException.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
    assertThat(RefusedException.retryAfterSeconds(null)).isEqualTo(1);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
