package dev.spanwise.tracer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void parseLowerHex8ReadsEightDigitsFirstMostSignificant() {
    byte[] bytes = "xx0af76519yy".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(Ids.parseLowerHex8(bytes, 2)).isEqualTo(0x0af76519L);
    assertThat(Ids.parseLowerHex8("ffffffff".getBytes(StandardCharsets.US_ASCII), 0))
        .isEqualTo(0xffffffffL);
    assertThat(Ids.parseLowerHex8("00000000".getBytes(StandardCharsets.US_ASCII), 0)).isZero();
  }

  /** Every byte value in every position: only 0-9 and a-f are digits, whatever surrounds them. */
  @Test
  void parseLowerHex8AcceptsExactlyLowerCaseHexDigits() {
    for (int position = 0; position < 8; position++) {
      for (int value = 0; value < 256; value++) {
        byte[] bytes = "9a9a9a9a".getBytes(StandardCharsets.US_ASCII);
        bytes[position] = (byte) value;
        boolean digit = (value >= '0' && value <= '9') || (value >= 'a' && value <= 'f');
        long parsed = Ids.parseLowerHex8(bytes, 0);
        if (digit) {
          long expected = Long.parseLong(new String(bytes, StandardCharsets.US_ASCII), 16);
          assertThat(parsed).as("byte %#x at %d", value, position).isEqualTo(expected);
        } else {
          assertThat(parsed).as("byte %#x at %d", value, position).isEqualTo(-1L);
        }
      }
    }
  }

  /** Random words mixing digits, near misses and high bytes: the word methods agree with a reference. */
  @Test
  void wordMethodsAgreeWithAReferenceOnRandomWords() {
    byte[] alphabet = "0123456789abcdef/:`gAF@G \u00ff\u0080".getBytes(StandardCharsets.ISO_8859_1);
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    byte[] bytes = new byte[8];
    for (int n = 0; n < 200_000; n++) {
      boolean valid = true;
      for (int i = 0; i < 8; i++) {
        bytes[i] = random.nextInt(4) == 0
            ? (byte) random.nextInt(256)
            : alphabet[random.nextInt(random.nextBoolean() ? 16 : alphabet.length)];
        int b = bytes[i] & 0xff;
        valid &= (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
      }
      long word = Ids.word(bytes, 0);
      assertThat(Ids.lowerHexMismatch(word) == 0).isEqualTo(valid);
      if (valid) {
        assertThat(Ids.lowerHexValue(word))
            .isEqualTo(Long.parseLong(new String(bytes, StandardCharsets.ISO_8859_1), 16));
      }
    }
  }
}
