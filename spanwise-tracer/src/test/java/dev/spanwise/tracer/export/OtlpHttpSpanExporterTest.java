package dev.spanwise.tracer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.tracer.Tracer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpHttpSpanExporterTest {
  private OtlpReceiver receiver;
  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  private Tracer tracer;

  @BeforeEach
  void start() throws Exception {
    receiver = new OtlpReceiver();
    tracer = Tracer.builder().serviceName("exporter-test")
        .addSpanProcessor(SimpleSpanProcessor.create(memory)).build();
    tracer.startSpan("one").end();
    tracer.startSpan("two").end();
  }

  @AfterEach
  void stop() {
    tracer.close();
    receiver.close();
  }

  private OtlpHttpSpanExporter.Builder exporter() {
    return OtlpHttpSpanExporter.builder().endpoint(receiver.tracesUrl())
        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).timeout(Duration.ofSeconds(5));
  }

  @Test
  void sendsProtobufWithHeadersAndGzip() {
    OtlpHttpSpanExporter exporter = exporter().compression("gzip")
        .addHeader("Authorization", "Bearer t").build();
    assertThat(exporter.export(memory.finishedSpans())).isEqualTo(ExportResult.SUCCESS);
    assertThat(receiver.contentEncodings).containsExactly("gzip");
    assertThat(receiver.authorizations).containsExactly("Bearer t");
    assertThat(receiver.spans()).extracting(io.opentelemetry.proto.trace.v1.Span::getName)
        .containsExactly("one", "two");
  }

  @Test
  void retriesRetryableStatusesHonouringRetryAfter() {
    receiver.scriptedStatuses.add(new int[] {503, 0});
    receiver.scriptedStatuses.add(new int[] {429});
    receiver.scriptedStatuses.add(new int[] {502});
    receiver.scriptedStatuses.add(new int[] {504});
    OtlpHttpSpanExporter exporter = exporter().build();
    assertThat(exporter.export(memory.finishedSpans())).isEqualTo(ExportResult.SUCCESS);
    assertThat(receiver.attempts).isEqualTo(5);
    assertThat(receiver.spans()).hasSize(2);
  }

  @Test
  void doesNotRetryOtherStatuses() {
    receiver.scriptedStatuses.add(new int[] {400});
    OtlpHttpSpanExporter exporter = exporter().build();
    assertThat(exporter.export(memory.finishedSpans())).isEqualTo(ExportResult.FAILURE);
    assertThat(receiver.attempts).isEqualTo(1);
    assertThat(exporter.failedExports()).isEqualTo(1);
  }

  @Test
  void givesUpAfterMaxAttemptsAndWhenRetryAfterExceedsTheTimeout() {
    for (int i = 0; i < 5; i++) {
      receiver.scriptedStatuses.add(new int[] {503});
    }
    assertThat(exporter().maxAttempts(3).build().export(memory.finishedSpans()))
        .isEqualTo(ExportResult.FAILURE);
    assertThat(receiver.attempts).isEqualTo(3);
    receiver.scriptedStatuses.clear();
    receiver.scriptedStatuses.add(new int[] {503, 3600});
    receiver.attempts = 0;
    assertThat(exporter().build().export(memory.finishedSpans())).isEqualTo(ExportResult.FAILURE);
    assertThat(receiver.attempts).isEqualTo(1);
  }

  @Test
  void unreachableEndpointFailsWithoutThrowing() {
    receiver.close();
    OtlpHttpSpanExporter exporter = exporter().maxAttempts(2).build();
    assertThat(exporter.export(memory.finishedSpans())).isEqualTo(ExportResult.FAILURE);
  }

  @Test
  void retryAfterParsing() {
    assertThat(OtlpHttpSpanExporter.parseRetryAfter("2")).isEqualTo(2_000_000_000L);
    assertThat(OtlpHttpSpanExporter.parseRetryAfter("soon")).isEqualTo(-1);
    assertThat(OtlpHttpSpanExporter.parseRetryAfter(null)).isEqualTo(-1);
    assertThat(OtlpHttpSpanExporter.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
    assertThat(OtlpHttpSpanExporter.isRetryable(503)).isTrue();
    assertThat(OtlpHttpSpanExporter.isRetryable(500)).isFalse();
  }

  @Test
  void builderRejectsBadValuesNamingTheField() {
    assertThatThrownBy(() -> OtlpHttpSpanExporter.builder().endpoint("ftp://x")).hasMessageContaining("endpoint");
    assertThatThrownBy(() -> OtlpHttpSpanExporter.builder().compression("zstd")).hasMessageContaining("compression");
    assertThatThrownBy(() -> OtlpHttpSpanExporter.builder().timeout(Duration.ZERO)).hasMessageContaining("timeout");
  }

  @Test
  void emptyBatchIsASuccessWithoutARequest() {
    assertThat(exporter().build().export(List.of())).isEqualTo(ExportResult.SUCCESS);
    assertThat(receiver.attempts).isZero();
  }
}
