package dev.spanwise.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.export.OtlpReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The seed program through our API, exported by OTLP/HTTP to a real receiver. */
class EndToEndTest {

  static void seed(Tracer tracer) {
    Span span = tracer.startSpan("user_request");
    try (Scope ignored = span.makeCurrent()) {
      Span auth = tracer.startSpan("auth_service");
      auth.addEvent("authenticated");
      auth.end();
      Span product = tracer.startSpan("product_service");
      product.setError("product lookup failed");
      product.addEvent("product details fetched");
      product.end();
    } finally {
      span.end();
    }
  }

  @Test
  void seedProgramArrivesAsOneTraceInAnOtlpReceiver() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Tracer tracer = Tracer.fromEnv(Map.of(
          "OTEL_SERVICE_NAME", "seed",
          "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.baseUrl(),
          "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"));
      seed(tracer);
      assertThat(tracer.close(Duration.ofSeconds(10))).isTrue();

      assertThat(receiver.contentEncodings).containsOnly("gzip");
      assertThat(receiver.requests.get(0).getResourceSpans(0).getResource().getAttributesList())
          .filteredOn(kv -> kv.getKey().equals("service.name"))
          .extracting(kv -> kv.getValue().getStringValue()).containsExactly("seed");
      Map<String, io.opentelemetry.proto.trace.v1.Span> byName = receiver.spans().stream()
          .collect(Collectors.toMap(io.opentelemetry.proto.trace.v1.Span::getName, s -> s));
      assertThat(byName).containsOnlyKeys("user_request", "auth_service", "product_service");
      var root = byName.get("user_request");
      var auth = byName.get("auth_service");
      var product = byName.get("product_service");
      assertThat(List.of(auth, product)).allSatisfy(child -> {
        assertThat(child.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(child.getParentSpanId()).isEqualTo(root.getSpanId());
      });
      assertThat(root.getParentSpanId().isEmpty()).isTrue();
      assertThat(auth.getEvents(0).getName()).isEqualTo("authenticated");
      assertThat(product.getEvents(0).getName()).isEqualTo("product details fetched");
      assertThat(product.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(auth.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
      assertThat(root.getAttributesList()).extracting(KeyValue::getKey).isEmpty();
    }
  }
}
