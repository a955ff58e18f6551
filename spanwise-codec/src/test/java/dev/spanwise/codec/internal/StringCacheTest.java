package dev.spanwise.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringCacheTest {
  @Test
  void manyStringsSharingSlotsAlwaysDecodeToThemselves() throws Exception {
    StringCache cache = new StringCache();
    Random random = new Random(11);
    Map<String, byte[]> seen = new HashMap<>();
    // far more strings than slots, so slots are replaced over and over
    for (int i = 0; i < 200_000; i++) {
      String s = "k" + random.nextInt(50_000) + (random.nextBoolean() ? "\u00e9" : "");
      byte[] utf8 = seen.computeIfAbsent(s, k -> k.getBytes(StandardCharsets.UTF_8));
      byte[] padded = new byte[utf8.length + 6];
      System.arraycopy(utf8, 0, padded, 3, utf8.length);
      assertThat(cache.decode(padded, 3, utf8.length)).isEqualTo(s);
    }
  }

  @Test
  void aRepeatedStringIsOneInstanceAndLongOnesAreDecodedToo() throws Exception {
    StringCache cache = new StringCache();
    byte[] key = "http.request.method".getBytes(StandardCharsets.UTF_8);
    assertThat(cache.decode(key, 0, key.length)).isSameAs(cache.decode(key, 0, key.length));
    String longOne = "\u00e9".repeat(StringCache.MAX_BYTES);
    byte[] utf8 = longOne.getBytes(StandardCharsets.UTF_8);
    assertThat(cache.decode(utf8, 0, utf8.length)).isEqualTo(longOne);
    assertThat(cache.decode(new byte[0], 0, 0)).isEmpty();
  }

  @Test
  void invalidUtf8IsRefusedEvenAfterAValidStringInTheSameSlot() throws Exception {
    StringCache cache = new StringCache();
    byte[] valid = {'a', 'b'};
    cache.decode(valid, 0, 2);
    byte[] invalid = {'a', (byte) 0xff};
    assertThatThrownBy(() -> cache.decode(invalid, 0, 2))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("invalid UTF-8");
    byte[] longInvalid = new byte[StringCache.MAX_BYTES + 10];
    java.util.Arrays.fill(longInvalid, (byte) 'z');
    longInvalid[5] = (byte) 0xc3;
    assertThatThrownBy(() -> cache.decode(longInvalid, 0, longInvalid.length))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }
}
