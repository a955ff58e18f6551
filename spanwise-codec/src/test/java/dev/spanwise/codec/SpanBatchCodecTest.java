package dev.spanwise.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.codec.otlp.OtlpTraceEncoder;
import dev.spanwise.model.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanBatchCodecTest {

  @Test
  void roundTripsTenantAndSpans() {
    List<Span> spans = TestSpans.trace();
    byte[] bytes = SpanBatchCodec.encode("acme-prod", spans);

    SpanBatch batch = SpanBatchCodec.decode(bytes);

    assertThat(batch.tenant()).isEqualTo("acme-prod");
    assertThat(batch.spans()).containsExactlyElementsOf(spans);
    assertThat(batch).isEqualTo(SpanBatch.of("acme-prod", spans));
  }

  @Test
  void layoutIsVersionTenantThenOtlpTracesData() throws Exception {
    List<Span> spans = TestSpans.trace();
    byte[] bytes = SpanBatchCodec.encode("t\u00e9", spans); // 3 UTF-8 bytes

    assertThat(bytes[0]).isEqualTo((byte) 1);
    assertThat(bytes[1]).isEqualTo((byte) 3);
    assertThat(new String(bytes, 2, 3, StandardCharsets.UTF_8)).isEqualTo("t\u00e9");
    TracesData payload = TracesData.parseFrom(Arrays.copyOfRange(bytes, 5, bytes.length));
    assertThat(payload).isEqualTo(OtlpTraceEncoder.toTracesData(spans));
    assertThat(SpanBatchCodec.decode(bytes).tenant()).isEqualTo("t\u00e9");
  }

  @Test
  void emptyTenantAndNoSpans() {
    SpanBatch batch = SpanBatchCodec.decode(SpanBatchCodec.encode("", List.of()));
    assertThat(batch.tenant()).isEmpty();
    assertThat(batch.spans()).isEmpty();
  }

  @Test
  void longTenantUsesAMultiByteVarint() {
    String tenant = "x".repeat(300);
    assertThat(SpanBatchCodec.decode(SpanBatchCodec.encode(tenant, TestSpans.trace())).tenant())
        .isEqualTo(tenant);
  }

  @Test
  void refusesAnUnknownVersion() {
    byte[] bytes = SpanBatchCodec.encode("a", TestSpans.trace());
    bytes[0] = 2;
    assertThatThrownBy(() -> SpanBatchCodec.decode(bytes))
        .isInstanceOf(CodecException.class)
        .hasMessage("span batch: format version 2 is not supported (this build reads version 1)");
  }

  @Test
  void refusesTruncatedAndCorruptBatches() {
    assertThatThrownBy(() -> SpanBatchCodec.decode(new byte[0]))
        .isInstanceOf(CodecException.class).hasMessage("span batch: empty");
    assertThatThrownBy(() -> SpanBatchCodec.decode(new byte[] {1}))
        .isInstanceOf(CodecException.class).hasMessageContaining("tenant length is truncated");
    assertThatThrownBy(() -> SpanBatchCodec.decode(new byte[] {1, 9, 'a'}))
        .isInstanceOf(CodecException.class)
        .hasMessage("span batch: tenant length 9 exceeds the 1 bytes left");
    byte[] bytes = SpanBatchCodec.encode("a", TestSpans.trace());
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);
    assertThatThrownBy(() -> SpanBatchCodec.decode(cut))
        .isInstanceOf(CodecException.class).hasMessageStartingWith("span batch: spans: ");
  }

  @Test
  void encodeNamesANullArgument() {
    assertThatThrownBy(() -> SpanBatchCodec.encode(null, List.of()))
        .hasMessage("tenant must not be null");
  }
}
