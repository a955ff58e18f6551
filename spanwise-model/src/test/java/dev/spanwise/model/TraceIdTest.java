package dev.spanwise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceIdTest {
  @Test
  void hexRoundTrip128Bit() {
    TraceId id = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(id.high()).isEqualTo(0x4bf92f3577b34da6L);
    assertThat(id.low()).isEqualTo(0xa3ce929d0e0e4736L);
    assertThat(id.toHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(id.toShortestHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void shortIdsAreLeftPaddedAs64Bit() {
    TraceId id = TraceId.fromHex("a3ce929d0e0e4736");
    assertThat(id.high()).isZero();
    assertThat(id.toHex()).isEqualTo("0000000000000000a3ce929d0e0e4736");
    assertThat(id.toShortestHex()).isEqualTo("a3ce929d0e0e4736");
    assertThat(TraceId.fromHex("1").toShortestHex()).isEqualTo("0000000000000001");
    assertThat(TraceId.fromHex("ABCDEF")).isEqualTo(TraceId.fromHex("abcdef"));
  }

  @Test
  void bytesRoundTrip() {
    TraceId id = TraceId.fromHex("ff00000000000001800000000000000f");
    assertThat(TraceId.fromBytes(id.toBytes())).isEqualTo(id);
    assertThat(id.toBytes()[0]).isEqualTo((byte) 0xff);
    assertThat(TraceId.fromBytes(new byte[8])).isEqualTo(TraceId.INVALID);
  }

  @Test
  void invalidInputNamesTheProblem() {
    assertThatThrownBy(() -> TraceId.fromHex("")).hasMessageContaining("1 to 32");
    assertThatThrownBy(() -> TraceId.fromHex("0".repeat(33))).hasMessageContaining("33");
    assertThatThrownBy(() -> TraceId.fromHex("xyz")).hasMessageContaining("'x'");
    assertThatThrownBy(() -> TraceId.fromBytes(new byte[3])).hasMessageContaining("16 bytes");
    assertThat(TraceId.fromHex("00000000000000000000000000000000").isValid()).isFalse();
  }

  @Test
  void ordersUnsigned() {
    assertThat(TraceId.fromHex("ffffffffffffffff0000000000000000"))
        .isGreaterThan(TraceId.fromHex("7fffffffffffffffffffffffffffffff"));
  }

  @Test
  void spanIdHex() {
    assertThat(SpanId.toHex(0x00f067aa0ba902b7L)).isEqualTo("00f067aa0ba902b7");
    assertThat(SpanId.fromHex("00f067aa0ba902b7")).isEqualTo(0x00f067aa0ba902b7L);
    assertThat(SpanId.fromHex("ffffffffffffffff")).isEqualTo(-1L);
    assertThat(SpanId.fromBytes(SpanId.toBytes(-2L))).isEqualTo(-2L);
    assertThatThrownBy(() -> SpanId.fromHex("12345678901234567")).hasMessageContaining("17");
  }
}
