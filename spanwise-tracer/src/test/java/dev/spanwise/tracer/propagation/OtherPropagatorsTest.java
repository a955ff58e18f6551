package dev.spanwise.tracer.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.TraceState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtherPropagatorsTest {
  private static final SpanContext LOCAL = SpanContext.create(
      0x463ac35c9f6413adL, 0x48485a3953bb6124L, 0xa2fb4a1d1a96d312L, (byte) 1, TraceState.empty());

  private static Map<String, String> inject(TextMapPropagator p, Context context) {
    Map<String, String> out = new LinkedHashMap<>();
    p.inject(context, out, TextMapSetter.forMap());
    return out;
  }

  private static Context extract(TextMapPropagator p, Map<String, String> headers) {
    return p.extract(Context.root(), headers, TextMapGetter.forMap());
  }

  // ---- W3C Baggage

  @Test
  void baggageSpecificationExamples() {
    Context c = extract(TextMapPropagator.w3cBaggage(), Map.of("baggage",
        "userId=alice,serverNode=DF%2028,isProduction=false"));
    assertThat(c.baggage().asMap()).containsExactly(Map.entry("userId", "alice"),
        Map.entry("serverNode", "DF 28"), Map.entry("isProduction", "false"));
    Context p = extract(TextMapPropagator.w3cBaggage(), Map.of("baggage",
        "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue"));
    assertThat(p.baggage().get("key1")).isEqualTo("value1");
    assertThat(p.baggage().metadata("key1")).isEqualTo("property1;property2");
    assertThat(p.baggage().get("key2")).isEqualTo("value2");
    assertThat(p.baggage().metadata("key3")).isEqualTo("propertyKey=propertyValue");
  }

  @Test
  void baggageRoundTripPercentEncodesAndKeepsProperties() {
    Baggage b = Baggage.empty().with("user", "élodie, \"x\"").with("k", "v", "prop=1");
    Map<String, String> out = inject(TextMapPropagator.w3cBaggage(), Context.root().with(b));
    assertThat(out.get("baggage")).isEqualTo("user=%C3%A9lodie%2C%20%22x%22,k=v;prop=1");
    assertThat(extract(TextMapPropagator.w3cBaggage(), out).baggage()).isEqualTo(b);
  }

  @Test
  void invalidBaggageMembersAreSkipped() {
    Context c = extract(TextMapPropagator.w3cBaggage(), Map.of("baggage",
        "good=1,bad key=2,noequals,bad=%zz,also=ok"));
    assertThat(c.baggage().asMap()).containsOnlyKeys("good", "also");
  }

  @Test
  void baggageLimitsAreApplied() {
    StringBuilder header = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      header.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    Context c = extract(TextMapPropagator.w3cBaggage(), Map.of("baggage", header.toString()));
    assertThat(c.baggage().size()).isEqualTo(180);
    Baggage big = Baggage.empty();
    for (int i = 0; i < 10; i++) {
      big = big.with("k" + i, "x".repeat(1000));
    }
    String injected = inject(TextMapPropagator.w3cBaggage(), Context.root().with(big)).get("baggage");
    assertThat(injected.length()).isLessThanOrEqualTo(8192);
    assertThat(injected.split(",")).hasSize(8);
  }

  // ---- B3

  @Test
  void b3SingleSpecificationExamples() {
    SpanContext sc = extract(TextMapPropagator.b3Single(), Map.of("b3",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90")).spanContext();
    assertThat(sc.traceId()).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
    assertThat(sc.spanIdHex()).isEqualTo("e457b5a2e4d86bd1");
    assertThat(sc.isSampled()).isTrue();
    SpanContext shortId = extract(TextMapPropagator.b3Single(), Map.of("b3",
        "64fe8b2a57d3eff7-e457b5a2e4d86bd1-0")).spanContext();
    assertThat(shortId.traceId()).isEqualTo("000000000000000064fe8b2a57d3eff7");
    assertThat(shortId.isSampled()).isFalse();
    SpanContext debug = extract(TextMapPropagator.b3Single(), Map.of("b3",
        "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d")).spanContext();
    assertThat(debug.isSampled()).isTrue();
    assertThat(extract(TextMapPropagator.b3Single(), Map.of("b3", "0")).hasSpan()).isFalse();
    assertThat(extract(TextMapPropagator.b3Single(), Map.of("b3", "80f198ee56343ba8-e457b5a2e4d86bd1-x")).hasSpan()).isFalse();
    assertThat(extract(TextMapPropagator.b3Single(), Map.of("b3", "80F198EE56343BA8-e457b5a2e4d86bd1-1")).hasSpan()).isFalse();
  }

  @Test
  void b3MultiSpecificationExample() {
    Map<String, String> headers = Map.of(
        "X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7",
        "X-B3-ParentSpanId", "05e3ac9a4f6e3b90",
        "X-B3-SpanId", "e457b5a2e4d86bd1",
        "X-B3-Sampled", "1");
    SpanContext sc = extract(TextMapPropagator.b3Multi(), headers).spanContext();
    assertThat(sc.traceId()).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
    assertThat(sc.spanIdHex()).isEqualTo("e457b5a2e4d86bd1");
    assertThat(sc.isSampled()).isTrue();
    Map<String, String> debug = new HashMap<>(headers);
    debug.put("X-B3-Sampled", "0");
    debug.put("X-B3-Flags", "1");
    assertThat(extract(TextMapPropagator.b3Multi(), debug).spanContext().isSampled()).isTrue();
  }

  @Test
  void b3Inject() {
    Context c = Context.root().with(Span.wrap(LOCAL));
    assertThat(inject(TextMapPropagator.b3Single(), c)).containsExactly(
        Map.entry("b3", "463ac35c9f6413ad48485a3953bb6124-a2fb4a1d1a96d312-1"));
    assertThat(inject(TextMapPropagator.b3Multi(), c)).containsExactly(
        Map.entry("X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"),
        Map.entry("X-B3-SpanId", "a2fb4a1d1a96d312"),
        Map.entry("X-B3-Sampled", "1"));
  }

  // ---- Jaeger

  @Test
  void jaegerRoundTripWithBaggage() {
    Context c = Context.root().with(Span.wrap(LOCAL)).with(Baggage.empty().with("user", "a b"));
    Map<String, String> out = inject(TextMapPropagator.jaeger(), c);
    assertThat(out).containsEntry("uber-trace-id", "463ac35c9f6413ad48485a3953bb6124:a2fb4a1d1a96d312:0:1")
        .containsEntry("uberctx-user", "a+b");
    Context back = extract(TextMapPropagator.jaeger(), out);
    assertThat(back.spanContext().traceId()).isEqualTo(LOCAL.traceId());
    assertThat(back.spanContext().spanId()).isEqualTo(LOCAL.spanId());
    assertThat(back.baggage().get("user")).isEqualTo("a b");
  }

  @Test
  void jaegerAcceptsShortIdsUrlEncodingAndDebugFlag() {
    SpanContext sc = extract(TextMapPropagator.jaeger(),
        Map.of("uber-trace-id", "abc%3Adef%3A0%3A3")).spanContext();
    assertThat(sc.traceId()).isEqualTo("00000000000000000000000000000abc");
    assertThat(sc.spanIdHex()).isEqualTo("0000000000000def");
    assertThat(sc.isSampled()).isTrue();
    assertThat(extract(TextMapPropagator.jaeger(), Map.of("uber-trace-id", "0:def:0:1")).hasSpan()).isFalse();
    assertThat(extract(TextMapPropagator.jaeger(), Map.of("uber-trace-id", "abc:def:0")).hasSpan()).isFalse();
    assertThat(extract(TextMapPropagator.jaeger(), Map.of("uber-trace-id", "xyz:def:0:1")).hasSpan()).isFalse();
  }

  // ---- composite

  @Test
  void compositeInjectsAllAndExtractsAny() {
    TextMapPropagator composite = TextMapPropagator.composite(TextMapPropagator.w3cTraceContext(),
        TextMapPropagator.w3cBaggage(), TextMapPropagator.b3Multi());
    Context c = Context.root().with(Span.wrap(LOCAL)).with(Baggage.empty().with("k", "v"));
    Map<String, String> out = inject(composite, c);
    assertThat(out).containsKeys("traceparent", "baggage", "X-B3-TraceId");
    Context fromB3Only = extract(composite, Map.of("X-B3-TraceId", LOCAL.traceId(),
        "X-B3-SpanId", LOCAL.spanIdHex()));
    assertThat(fromB3Only.spanContext().spanId()).isEqualTo(LOCAL.spanId());
    assertThat(composite.fields()).contains("traceparent", "tracestate", "baggage", "X-B3-TraceId");
  }

  @Test
  void extractionNeverThrowsOnHostileCarriers() {
    TextMapGetter<Object> throwing = new TextMapGetter<>() {
      @Override
      public Iterable<String> keys(Object carrier) {
        throw new IllegalStateException("boom");
      }

      @Override
      public String get(Object carrier, String key) {
        throw new IllegalStateException("boom");
      }
    };
    for (TextMapPropagator p : new TextMapPropagator[] {TextMapPropagator.w3cTraceContext(),
        TextMapPropagator.w3cBaggage(), TextMapPropagator.b3Single(), TextMapPropagator.jaeger()}) {
      assertThat(p.extract(Context.root(), new Object(), throwing)).isSameAs(Context.root());
    }
  }
}
