package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodersTest {

  static List<LoadSpan> spans(long seed, int traces) {
    WorkloadGenerator g = WorkloadGeneratorTest.generator(seed);
    List<LoadSpan> out = new ArrayList<>();
    for (int i = 0; i < traces; i++) out.addAll(g.nextTrace().spans());
    return out;
  }

  static List<LoadSpan> withAnError(long seed) {
    WorkloadGenerator g = new WorkloadGenerator(seed, () -> WorkloadGeneratorTest.NOW, 1.0);
    return g.nextTrace().spans();
  }

  @Test
  void jaegerThriftDecodesWithTheServersDecoder() {
    List<LoadSpan> all = spans(13, 40);
    all.addAll(withAnError(14));
    Map<String, List<LoadSpan>> byInstance = new HashMap<>();
    for (LoadSpan s : all) {
      byInstance.computeIfAbsent(s.instance().instanceId(), k -> new ArrayList<>()).add(s);
    }
    int errors = 0;
    int events = 0;
    for (List<LoadSpan> spans : byInstance.values()) {
      dev.spanwise.codec.DecodeResult result =
          dev.spanwise.codec.jaeger.JaegerThriftDecoder.decodeBatch(JaegerThriftEncoder.encode(spans));
      assertThat(result.hasRejections()).as(result.errorMessage()).isFalse();
      assertThat(result.spans()).hasSize(spans.size());
      for (int i = 0; i < spans.size(); i++) {
        LoadSpan s = spans.get(i);
        dev.spanwise.model.Span d = result.spans().get(i);
        assertThat(d.traceId().high()).isEqualTo(s.traceId().high());
        assertThat(d.traceId().low()).isEqualTo(s.traceId().low());
        assertThat(d.spanId()).isEqualTo(s.spanId());
        assertThat(d.parentSpanId()).isEqualTo(s.parentSpanId());
        assertThat(d.name()).isEqualTo(s.name());
        assertThat(d.kind().name()).isEqualTo(s.kind().name());
        assertThat(d.serviceName()).isEqualTo(s.instance().service());
        assertThat(d.scope().name()).isEqualTo(s.scopeName());
        assertThat(d.startEpochNanos()).isEqualTo(s.startEpochNanos() / 1000 * 1000);
        assertThat(d.isError()).isEqualTo(s.error());
        assertThat(d.attributes().size()).isEqualTo(s.attributes().size());
        for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
          assertThat(d.attributes().get(a.getKey()).asText()).isEqualTo(String.valueOf(a.getValue()));
        }
        assertThat(d.events()).hasSize(s.events().size());
        for (int e = 0; e < s.events().size(); e++) {
          assertThat(d.events().get(e).name()).isEqualTo(s.events().get(e).name());
        }
        if (s.error()) errors++;
        events += s.events().size();
      }
    }
    assertThat(errors).isPositive();
    assertThat(events).isPositive();
  }

  @Test
  void jaegerThriftRefusesSpansOfTwoProcesses() {
    List<LoadSpan> spans = spans(15, 5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JaegerThriftEncoder.encode(spans))
        .hasMessageContaining("one process");
  }

  @Test
  void otlpBytesParseBackWithTheGeneratedClasses() throws Exception {
    List<LoadSpan> spans = spans(11, 40);
    spans.addAll(withAnError(12));
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(OtlpEncoder.encode(spans));

    Map<Long, LoadSpan> byId = new HashMap<>();
    for (LoadSpan s : spans) byId.put(s.spanId(), s);
    int count = 0;
    for (ResourceSpans rs : parsed.getResourceSpansList()) {
      Map<String, AnyValue> resource = toMap(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span p : ss.getSpansList()) {
          count++;
          LoadSpan s = byId.get(Bytes.getLong(p.getSpanId().toByteArray(), 0));
          assertThat(s).isNotNull();
          assertThat(resource.get("service.name").getStringValue()).isEqualTo(s.instance().service());
          assertThat(ss.getScope().getName()).isEqualTo(s.scopeName());
          assertThat(p.getTraceId().toByteArray()).isEqualTo(s.traceId().toBytes());
          assertThat(p.getParentSpanId().isEmpty()).isEqualTo(s.isRoot());
          if (!s.isRoot()) {
            assertThat(Bytes.getLong(p.getParentSpanId().toByteArray(), 0)).isEqualTo(s.parentSpanId());
          }
          assertThat(p.getName()).isEqualTo(s.name());
          assertThat(p.getKind().name()).isEqualTo("SPAN_KIND_" + s.kind().name());
          assertThat(p.getStartTimeUnixNano()).isEqualTo(s.startEpochNanos());
          assertThat(p.getEndTimeUnixNano()).isEqualTo(s.endEpochNanos());
          assertThat(p.getEventsCount()).isEqualTo(s.events().size());
          assertThat(p.getStatus().getCode()).isEqualTo(s.error()
              ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET);
          Map<String, AnyValue> attributes = toMap(p.getAttributesList());
          assertThat(attributes).hasSameSizeAs(s.attributes());
          s.attributes().forEach((k, v) -> assertThat(value(attributes.get(k))).as(k).isEqualTo(v));
        }
      }
    }
    assertThat(count).isEqualTo(spans.size());
  }

  @Test
  void zipkinJsonParsesBack() throws Exception {
    List<LoadSpan> spans = spans(21, 40);
    spans.addAll(withAnError(22));
    JsonNode parsed = new ObjectMapper().readTree(ZipkinJsonEncoder.encode(spans));

    assertThat(parsed.isArray()).isTrue();
    assertThat(parsed.size()).isEqualTo(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      LoadSpan s = spans.get(i);
      JsonNode z = parsed.get(i);
      assertThat(z.get("traceId").asText()).isEqualTo(s.traceId().toHex()).hasSize(32);
      assertThat(z.get("id").asText()).isEqualTo(Bytes.hex(s.spanId()));
      assertThat(z.has("parentId")).isEqualTo(!s.isRoot());
      assertThat(z.path("kind").asText(null))
          .isEqualTo(s.kind() == LoadSpan.Kind.INTERNAL ? null : s.kind().name());
      assertThat(z.get("timestamp").asLong()).isEqualTo(s.startEpochNanos() / 1000);
      assertThat(z.get("duration").asLong()).isPositive();
      assertThat(z.get("localEndpoint").get("serviceName").asText()).isEqualTo(s.instance().service());
      JsonNode tags = z.get("tags");
      s.attributes().forEach((k, v) -> assertThat(tags.get(k).asText()).isEqualTo(String.valueOf(v)));
      assertThat(tags.has("error")).isEqualTo(s.error());
      assertThat(z.path("annotations").size()).isEqualTo(s.events().size());
    }
  }

  private static Map<String, AnyValue> toMap(List<KeyValue> kvs) {
    Map<String, AnyValue> out = new HashMap<>();
    for (KeyValue kv : kvs) out.put(kv.getKey(), kv.getValue());
    return out;
  }

  private static Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      default:
        throw new AssertionError(v);
    }
  }
}
