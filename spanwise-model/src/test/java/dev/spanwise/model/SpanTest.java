package dev.spanwise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpanTest {
  static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");

  Span.Builder valid() {
    return Span.builder()
        .resource(Resource.ofServiceName("frontend"))
        .traceId(TRACE)
        .spanId(1)
        .name("GET /")
        .kind(SpanKind.SERVER)
        .startEpochNanos(1_000)
        .endEpochNanos(5_000);
  }

  @Test
  void buildsAndCopies() {
    Span span = valid()
        .attributes(Attributes.builder().put("http.status_code", 200L).build())
        .addEvent(SpanEvent.of(2_000, "cache miss", Attributes.EMPTY))
        .status(Status.error("boom"))
        .build();
    assertThat(span.durationNanos()).isEqualTo(4_000);
    assertThat(span.serviceName()).isEqualTo("frontend");
    assertThat(span.isRoot()).isTrue();
    assertThat(span.isError()).isTrue();
    assertThat(span.status().message()).isEqualTo("boom");
    assertThat(span.toBuilder().build()).isEqualTo(span);
    assertThat(span.toBuilder().name("other").build()).isNotEqualTo(span);
    assertThat(span.events()).hasSize(1);
  }

  @Test
  void refusesInvalidIdsAndTimesNamingTheField() {
    assertThatThrownBy(() -> valid().traceId(TraceId.INVALID).build())
        .hasMessageContaining("traceId");
    assertThatThrownBy(() -> valid().spanId(0).build()).hasMessageContaining("spanId");
    assertThatThrownBy(() -> valid().endEpochNanos(10).build())
        .hasMessageContaining("endTimeUnixNano");
  }

  @Test
  void unknownServiceWhenResourceHasNone() {
    assertThat(valid().resource(Resource.EMPTY).build().serviceName())
        .isEqualTo(Resource.UNKNOWN_SERVICE);
  }

  @Test
  void attributesKeepInsertionOrderAndLastValueWins() {
    Attributes a = Attributes.builder().put("b", "1").put("a", 2L).put("b", "3").build();
    assertThat(a.size()).isEqualTo(2);
    assertThat(a.key(0)).isEqualTo("b");
    assertThat(a.getString("b")).isEqualTo("3");
    assertThat(a.get("a")).isEqualTo(AttributeValue.of(2L));
    assertThat(a.get("missing")).isNull();
    assertThat(a.toBuilder().remove("b").build().asMap()).containsOnlyKeys("a");
  }

  @Test
  void attributeValuesRenderAsText() {
    assertThat(AttributeValue.of(true).asText()).isEqualTo("true");
    assertThat(AttributeValue.of(42L).asText()).isEqualTo("42");
    assertThat(AttributeValue.of(1.5).asText()).isEqualTo("1.5");
    assertThat(AttributeValue.ofArray(List.of(AttributeValue.of("a\"b"), AttributeValue.of(1L)))
            .asText())
        .isEqualTo("[\"a\\\"b\",1]");
    assertThat(AttributeValue.ofMap(Attributes.of("k", "v")).asText()).isEqualTo("{\"k\":\"v\"}");
    assertThat(AttributeValue.ofBytes(new byte[] {1, 2}).asText()).isEqualTo("AQI=");
    assertThatThrownBy(() -> AttributeValue.of("x").longValue())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void spanKindParsesEveryForm() {
    assertThat(SpanKind.parse("server")).isEqualTo(SpanKind.SERVER);
    assertThat(SpanKind.parse("SPAN_KIND_CLIENT")).isEqualTo(SpanKind.CLIENT);
    assertThat(SpanKind.parse("nope")).isNull();
    assertThat(SpanKind.fromOtlpNumber(5)).isEqualTo(SpanKind.CONSUMER);
    assertThat(SpanKind.fromOtlpNumber(99)).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(StatusCode.fromOtlpNumber(2)).isEqualTo(StatusCode.ERROR);
  }
}
