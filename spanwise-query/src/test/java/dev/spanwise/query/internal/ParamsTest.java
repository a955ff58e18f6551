package dev.spanwise.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.model.SpanKind;
import dev.spanwise.model.TraceId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
  @Test
  void emptyValuesCountAsAbsent() {
    Params p = Params.of("service=&operation=x");
    assertThat(p.string("service")).isNull();
    assertThat(p.string("operation")).isEqualTo("x");
    assertThatThrownBy(() -> p.required("service"))
        .isInstanceOfSatisfying(BadParameterException.class,
            e -> assertThat(e.parameter()).isEqualTo("service"))
        .hasMessage("parameter 'service' is required");
  }

  @Test
  void aliasesReportTheNameUsed() {
    Params p = Params.of("query.service_name=a");
    assertThat(p.first("query.serviceName", "query.service_name"))
        .isEqualTo(new Params.Named("query.service_name", "a"));
    assertThat(p.first("query.operationName")).isNull();
  }

  @Test
  void integersAreRangeChecked() {
    Params p = Params.of("limit=5&big=100000&bad=x");
    assertThat(p.intValue("limit", 20, 1, 10)).isEqualTo(5);
    assertThat(p.intValue("absent", 20, 1, 10)).isEqualTo(20);
    assertThatThrownBy(() -> p.intValue("big", 20, 1, 10))
        .hasMessage("parameter 'big' must be between 1 and 10, was 100000");
    assertThatThrownBy(() -> p.intValue("bad", 20, 1, 10))
        .hasMessage("parameter 'bad' is not an integer: x");
  }

  @Test
  void timesAndDurations() {
    Params p = Params.of("t=2026-11-25T12:00:00.5Z&o=2026-11-25T13:00:00%2B01:00&u=1500&d=1.5ms");
    assertThat(p.rfc3339Nanos("t")).isEqualTo(1_795_608_000_500_000_000L);
    assertThat(p.rfc3339Nanos("o")).isEqualTo(1_795_608_000_000_000_000L);
    assertThat(p.unitsAsNanos("u", 1000)).isEqualTo(1_500_000L);
    assertThat(p.durationNanos("d")).isEqualTo(1_500_000L);
    assertThatThrownBy(() -> Params.of("t=yesterday").rfc3339Nanos("t"))
        .hasMessageStartingWith("parameter 't' is not an RFC 3339 time");
    assertThatThrownBy(() -> Params.of("u=-5").unitsAsNanos("u", 1000))
        .hasMessage("parameter 'u' must not be negative, was -5");
    assertThatThrownBy(() -> Params.of("u=9223372036854775807").unitsAsNanos("u", 1000))
        .hasMessageContaining("too large");
  }

  @Test
  void kindsAndTraceIds() {
    assertThat(Params.of("k=SPAN_KIND_SERVER").spanKind("k")).isEqualTo(SpanKind.SERVER);
    assertThat(Params.of("k=client").spanKind("k")).isEqualTo(SpanKind.CLIENT);
    assertThat(Params.of("k=unspecified").spanKind("k")).isNull();
    assertThatThrownBy(() -> Params.of("k=sideways").spanKind("k"))
        .hasMessageStartingWith("parameter 'k' is not a span kind");
    assertThat(Params.parseTraceId("id", "bee")).isEqualTo(TraceId.of(0, 0xbee));
    assertThatThrownBy(() -> Params.parseTraceId("id", "xyz"))
        .hasMessageStartingWith("parameter 'id' is not a trace id");
    assertThatThrownBy(() -> Params.parseTraceId("id", "000"))
        .hasMessage("parameter 'id' must not be all zero");
  }

  @Test
  void booleans() {
    assertThat(Params.of("e=true").bool("e", false)).isTrue();
    assertThat(Params.of("e=0").bool("e", true)).isFalse();
    assertThatThrownBy(() -> Params.of("e=maybe").bool("e", false))
        .hasMessage("parameter 'e' must be true or false, was maybe");
  }

  @Test
  void jsonStringMaps() {
    assertThat(Json.parseStringMap("tags", "{\"a\":\"1\",\"b\":2,\"c\":true}"))
        .isEqualTo(Map.of("a", "1", "b", "2", "c", "true"));
    assertThatThrownBy(() -> Json.parseStringMap("tags", "[1]"))
        .hasMessageStartingWith("parameter 'tags' must be a JSON object");
    assertThatThrownBy(() -> Json.parseStringMap("tags", "{\"a\":{}}"))
        .hasMessageContaining("key 'a' is not");
    assertThatThrownBy(() -> Json.parseStringMap("tags", "{\"a\":"))
        .hasMessageStartingWith("parameter 'tags' is not valid JSON");
    assertThatThrownBy(() -> Json.parseStringMap("tags", "{\"\":\"v\"}"))
        .hasMessageStartingWith("parameter 'tags' has an empty key");
    assertThatThrownBy(() -> Json.parseStringMap("tags", "{} {}"))
        .hasMessageStartingWith("parameter 'tags' is not a single JSON object");
  }
}
