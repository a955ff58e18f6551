package dev.spanwise.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.model.AttributeType;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.StatusCode;
import dev.spanwise.model.TraceId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpanFixturesTest {
  static final long BASE = 1_700_000_000_000_000_000L;
  static final long MS = 1_000_000L;

  static SpanFixtures parse(String json) throws IOException {
    return SpanFixtures.parse(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json", BASE);
  }

  static String oneSpan(String spanFields) {
    return "{\"traces\": [{\"name\": \"t\", \"traceId\": \"ab\", \"startMs\": 1000, \"spans\": [{"
        + "\"spanId\": \"01\", \"name\": \"op\", \"durationMs\": 5" + spanFields + "}]}]}";
  }

  @Test
  void parsesEveryFieldOfTheFormat() throws IOException {
    SpanFixtures f = parse("{"
        + "\"resources\": {\"web\": {\"service.name\": \"web\", \"host.name\": \"h1\"}},"
        + "\"scopes\": {\"lib\": {\"name\": \"io.lib\", \"version\": \"1.2\"}},"
        + "\"traces\": [{\"name\": \"t\", \"traceId\": \"4bf92f3577b34da6a3ce929d0e0e4736\","
        + " \"startMs\": -60000, \"spans\": ["
        + "  {\"spanId\": \"0a\", \"resource\": \"web\", \"scope\": \"lib\", \"name\": \"root\","
        + "   \"kind\": \"SERVER\", \"startMs\": 2, \"durationUs\": 1500, \"flags\": 1,"
        + "   \"traceState\": \"k=v\", \"batch\": 1,"
        + "   \"attributes\": {\"s\": \"x\", \"l\": 7, \"d\": 0.5, \"b\": false, \"a\": [1, \"y\"],"
        + "                  \"m\": {\"k\": \"v\"}, \"bytes\": {\"$bytes\": \"AQI=\"}},"
        + "   \"events\": [{\"name\": \"e\", \"atUs\": 300, \"attributes\": {\"n\": 1}}],"
        + "   \"links\": [{\"traceId\": \"ff\", \"spanId\": \"0b\"}],"
        + "   \"status\": {\"code\": \"ERROR\", \"message\": \"boom\"}},"
        + "  {\"spanId\": \"0c\", \"parentSpanId\": \"0a\", \"resource\": {\"service.name\": \"db\"},"
        + "   \"name\": \"child\", \"startUs\": 2500, \"durationMs\": 1}"
        + "]}]}");

    FixtureTrace t = f.trace("t");
    assertThat(t.traceId()).isEqualTo(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"));
    Span root = t.span("root");
    assertThat(root.spanId()).isEqualTo(0x0a);
    assertThat(root.isRoot()).isTrue();
    assertThat(root.serviceName()).isEqualTo("web");
    assertThat(root.resource().attributes().getString("host.name")).isEqualTo("h1");
    assertThat(root.scope().name()).isEqualTo("io.lib");
    assertThat(root.scope().version()).isEqualTo("1.2");
    assertThat(root.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(root.startEpochNanos()).isEqualTo(BASE - 60_000 * MS + 2 * MS);
    assertThat(root.durationNanos()).isEqualTo(1_500_000);
    assertThat(root.flags()).isEqualTo(1);
    assertThat(root.traceState()).isEqualTo("k=v");
    assertThat(root.attributes().get("s")).isEqualTo(AttributeValue.of("x"));
    assertThat(root.attributes().get("l")).isEqualTo(AttributeValue.of(7L));
    assertThat(root.attributes().get("d")).isEqualTo(AttributeValue.of(0.5));
    assertThat(root.attributes().get("b")).isEqualTo(AttributeValue.of(false));
    assertThat(root.attributes().get("a").asText()).isEqualTo("[1,\"y\"]");
    assertThat(root.attributes().get("m").type()).isEqualTo(AttributeType.MAP);
    assertThat(root.attributes().get("bytes").bytesValue()).containsExactly(1, 2);
    assertThat(root.events()).hasSize(1);
    assertThat(root.events().get(0).epochNanos()).isEqualTo(root.startEpochNanos() + 300_000);
    assertThat(root.links().get(0).traceId()).isEqualTo(TraceId.fromHex("ff"));
    assertThat(root.links().get(0).spanId()).isEqualTo(0x0b);
    assertThat(root.status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(root.status().message()).isEqualTo("boom");

    Span child = t.span("child");
    assertThat(child.parentSpanId()).isEqualTo(0x0a);
    assertThat(child.serviceName()).isEqualTo("db");
    assertThat(child.startEpochNanos()).isEqualTo(BASE - 60_000 * MS + 2_500_000);
    assertThat(child.kind()).isEqualTo(SpanKind.UNSPECIFIED);

    assertThat(t.batchCount()).isEqualTo(2);
    assertThat(t.batch(0)).containsExactly(child);
    assertThat(t.batch(1)).containsExactly(root);
    assertThat(t.spansByStart()).containsExactly(root, child);
  }

  @Test
  void errorsNameTheSourceTraceSpanAndField() {
    assertThatThrownBy(() -> parse(oneSpan(", \"kind\": \"SIDEWAYS\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test.json").hasMessageContaining("trace t")
        .hasMessageContaining("span 01").hasMessageContaining("kind");
    assertThatThrownBy(() -> parse(oneSpan(", \"color\": \"red\"")))
        .hasMessageContaining("unknown field color");
    assertThatThrownBy(() -> parse(oneSpan(", \"parentSpanId\": \"xyz\"")))
        .hasMessageContaining("parentSpanId");
    assertThatThrownBy(() -> parse(oneSpan(", \"resource\": \"nowhere\"")))
        .hasMessageContaining("no resource nowhere");
    assertThatThrownBy(() -> parse(oneSpan(", \"durationUs\": 3")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> parse(oneSpan(", \"status\": {\"code\": \"BAD\"}")))
        .hasMessageContaining("code");
    assertThatThrownBy(() -> parse("{\"traces\": [{\"name\": \"t\", \"traceId\": \"ab\","
        + " \"spans\": [{\"spanId\": \"01\", \"name\": \"op\"}]}]}"))
        .hasMessageContaining("durationMs or durationUs is required");
    assertThatThrownBy(() -> parse(oneSpan(", \"batch\": \"one\"")))
        .hasMessageContaining("batch must be an integer");
    assertThatThrownBy(() -> parse("{\"traces\": [")).hasMessageContaining("not valid JSON");
  }

  @Test
  void bundledFixturesLoadWithUniqueNamesAndSpanIdentities() {
    long base = SpanFixtures.defaultBaseEpochNanos();
    SpanFixtures f = SpanFixtures.load(base);

    assertThat(f.traces()).extracting(FixtureTrace::name).containsExactly(
        "checkout", "catalog-1", "catalog-2", "catalog-3", "catalog-4", "catalog-5", "late-root",
        "legacy64", "wide", "shared", "old", "straddle");
    Set<String> identities = new HashSet<>();
    for (Span s : f.spans()) {
      assertThat(identities.add(s.traceId() + "/" + SpanId.toHex(s.spanId()) + "/" + s.kind()))
          .as("unique span %s", s).isTrue();
    }
    assertThat(f.trace("checkout").spans()).hasSize(14);
    assertThat(f.trace("checkout").span("GET /checkout").startEpochNanos()).isEqualTo(base);
    assertThat(f.batchCount()).isEqualTo(2);
    assertThat(f.batch(1)).containsExactly(f.trace("late-root").span("nightly-report"));
    assertThat(f.atMillis(5)).isEqualTo(base + 5 * MS);
  }

  @Test
  void defaultBaseIsAWholeMinuteHalfAnHourAgo() {
    long base = SpanFixtures.defaultBaseEpochNanos();
    long now = System.currentTimeMillis() * MS;

    assertThat(base % (60_000 * MS)).isZero();
    assertThat(base).isBetween(now - 31 * 60_000 * MS, now - 30 * 60_000 * MS);
  }

  @Test
  void unknownTraceNameIsAnError() {
    SpanFixtures f = SpanFixtures.load(BASE);
    assertThatThrownBy(() -> f.trace("nope")).hasMessageContaining("no fixture trace named nope");
    assertThatThrownBy(() -> f.trace("checkout").span("no such span"))
        .hasMessageContaining("0 spans named");
    assertThat(f.trace("shared").spansNamed("GET /legacy")).hasSize(3);
    assertThat(f.trace("shared").span("GET /legacy", SpanKind.CLIENT).kind())
        .isEqualTo(SpanKind.CLIENT);
  }
}
