package dev.spanwise.tracer.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.TraceState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class W3CTraceContextPropagatorTest {
  private static final TextMapPropagator W3C = TextMapPropagator.w3cTraceContext();
  // the example of the W3C Trace Context specification
  private static final String SPEC_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private static SpanContext extract(Map<String, String> headers) {
    return W3C.extract(Context.root(), headers, TextMapGetter.forMap()).spanContext();
  }

  private static SpanContext extract(String traceparent) {
    return extract(Map.of("traceparent", traceparent));
  }

  @Test
  void extractsTheSpecificationExample() {
    SpanContext sc = extract(Map.of("traceparent", SPEC_TRACEPARENT,
        "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
    assertThat(sc.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(sc.spanIdHex()).isEqualTo("b7ad6b7169203331");
    assertThat(sc.isSampled()).isTrue();
    assertThat(sc.isRemote()).isTrue();
    assertThat(sc.traceState().toHeader()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  }

  @Test
  void injectsWhatItExtracts() {
    Map<String, String> in = Map.of("traceparent", SPEC_TRACEPARENT, "tracestate", "congo=t61rcWkgMzE");
    Context context = W3C.extract(Context.root(), in, TextMapGetter.forMap());
    Map<String, String> out = new HashMap<>();
    W3C.inject(context, out, TextMapSetter.forMap());
    assertThat(out).containsEntry("traceparent", SPEC_TRACEPARENT)
        .containsEntry("tracestate", "congo=t61rcWkgMzE");
  }

  @Test
  void unsampledFlagIsKept() {
    assertThat(extract("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00").isSampled()).isFalse();
  }

  @Test
  void headerNameIsCaseInsensitive() {
    assertThat(extract(Map.of("TraceParent", SPEC_TRACEPARENT)).isValid()).isTrue();
  }

  @Test
  void optionalWhitespaceAroundTheValueIsAccepted() {
    assertThat(extract(" " + SPEC_TRACEPARENT + " \t").isValid()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-the-future-will-be-like",
      "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-09"})
  void futureVersionsAreParsedByTheirFirstFourFields(String value) {
    SpanContext sc = extract(value);
    assertThat(sc.isValid()).isTrue();
    assertThat(sc.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(sc.isSampled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", // version ff
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra", // v00 too long
      "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01.what", // future, bad separator
      "0-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", // version too short
      "000-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", // version too long
      "0g-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", // version illegal
      "00-00000000000000000000000000000000-b7ad6b7169203331-01", // trace id zero
      "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", // span id zero
      "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", // upper case
      "00-0af7651916cd43dd8448eb211c80319c-B7AD6B7169203331-01",
      "00-0af7651916cd43dd8448eb211c80319.-b7ad6b7169203331-01", // illegal char
      "00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01", // trace id too short
      "00-0af7651916cd43dd8448eb211c80319c0-b7ad6b7169203331-01", // trace id too long
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01", // span id too short
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0", // flags too short
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0x", // flags illegal
      "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01", // separators
      // characters outside Latin-1 whose low byte is a hex digit or '-' (U+0130, U+012D)
      "00-0af7651916cd43dd8448eb211c80319\u0130-b7ad6b7169203331-01",
      "00\u012d0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0\u0131",
      "", "garbage"})
  void invalidTraceparentStartsANewTrace(String value) {
    assertThat(extract(value).isValid()).isFalse();
  }

  @Test
  void repeatedTraceparentIsInvalid() {
    Map<String, List<String>> headers = Map.of("traceparent", List.of(SPEC_TRACEPARENT,
        "00-11111111111111111111111111111111-2222222222222222-01"));
    Context context = W3C.extract(Context.root(), headers, TextMapGetter.forMultiMap());
    assertThat(context.hasSpan()).isFalse();
  }

  @Test
  void repeatedTracestateHeadersAreJoined() {
    Map<String, List<String>> headers = Map.of("traceparent", List.of(SPEC_TRACEPARENT),
        "tracestate", List.of("foo=1", "bar=2"));
    SpanContext sc = W3C.extract(Context.root(), headers, TextMapGetter.forMultiMap()).spanContext();
    assertThat(sc.traceState().toHeader()).isEqualTo("foo=1,bar=2");
  }

  @Test
  void invalidTracestateIsDroppedButTraceparentKept() {
    SpanContext sc = extract(Map.of("traceparent", SPEC_TRACEPARENT, "tracestate", "foo=1,foo=2"));
    assertThat(sc.isValid()).isTrue();
    assertThat(sc.traceState().isEmpty()).isTrue();
  }

  @Test
  void tracestateWithoutValidTraceparentIsIgnored() {
    Context context = W3C.extract(Context.root(), Map.of("tracestate", "foo=1"), TextMapGetter.forMap());
    assertThat(context.hasSpan()).isFalse();
  }

  @Test
  void childSpanKeepsTraceIdAndTracestateWithNewParentId() {
    SpanContext remote = extract(Map.of("traceparent", SPEC_TRACEPARENT, "tracestate", "rojo=1"));
    SpanContext child = SpanContext.create(remote.traceIdHigh(), remote.traceIdLow(), 0x1234L,
        SpanContext.FLAG_SAMPLED, remote.traceState().put("spanwise", "x"));
    Map<String, String> out = new HashMap<>();
    W3C.inject(Context.root().with(Span.wrap(child)), out, TextMapSetter.forMap());
    assertThat(out.get("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-0000000000001234-01");
    assertThat(out.get("tracestate")).isEqualTo("spanwise=x,rojo=1");
  }

  @Test
  void nothingIsInjectedWithoutASpan() {
    Map<String, String> out = new HashMap<>();
    W3C.inject(Context.root(), out, TextMapSetter.forMap());
    assertThat(out).isEmpty();
  }

  @Test
  void traceStateEmptyStaysEmptyOnInject() {
    SpanContext sc = SpanContext.create(1, 2, 3, (byte) 1, TraceState.empty());
    Map<String, String> out = new HashMap<>();
    W3C.inject(Context.root().with(Span.wrap(sc)), out, TextMapSetter.forMap());
    assertThat(out).containsOnlyKeys("traceparent");
  }

  // ---- the parser against a plain reading of the specification, on generated headers

  private static final Pattern FORMAT = Pattern.compile(
      "([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?", Pattern.DOTALL);

  /** The specification as written: null when the header is invalid. */
  private static SpanContext reference(String header) {
    String value = header.replaceAll("^[ \\t]+|[ \\t]+$", "");
    Matcher m = FORMAT.matcher(value);
    if (!m.matches()) {
      return null;
    }
    String version = m.group(1);
    if (version.equals("ff") || (version.equals("00") && m.group(5) != null)) {
      return null;
    }
    String traceId = m.group(2);
    String spanId = m.group(3);
    if (traceId.equals("0".repeat(32)) || spanId.equals("0".repeat(16))) {
      return null;
    }
    int flags = Integer.parseInt(m.group(4), 16);
    if (!version.equals("00")) {
      flags &= 0x03;
    }
    return SpanContext.createFromRemoteParent(Long.parseUnsignedLong(traceId.substring(0, 16), 16),
        Long.parseUnsignedLong(traceId.substring(16), 16), Long.parseUnsignedLong(spanId, 16),
        (byte) flags, TraceState.empty());
  }

  private static final String ALPHABET = "0123456789abcdefABCDEFgxz-_ .\t\u00e9\u0130\u012d\u0131\uff10";

  private static String randomHex(Random random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append("0123456789abcdef".charAt(random.nextInt(16)));
    }
    return sb.toString();
  }

  private static String mutate(Random random, String value) {
    StringBuilder sb = new StringBuilder(value);
    int edits = 1 + random.nextInt(2);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int at = random.nextInt(sb.length());
      char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      switch (random.nextInt(6)) {
        case 0: sb.insert(at, c); break;
        case 1: sb.deleteCharAt(at); break;
        case 2: sb.insert(0, random.nextBoolean() ? ' ' : '\t'); break;
        case 3: sb.append(random.nextBoolean() ? "-" + randomHex(random, random.nextInt(4)) : " "); break;
        default: sb.setCharAt(at, c);
      }
    }
    return sb.toString();
  }

  @Test
  void agreesWithTheSpecificationOnGeneratedHeaders() {
    Random random = new Random(20261207);
    String[] versions = {"00", "00", "00", "01", "cc", "fe", "ff", "0f"};
    String[] flags = {"00", "01", "01", "02", "03", "09", "ff"};
    int valid = 0;
    for (int i = 0; i < 20_000; i++) {
      String traceId = random.nextInt(50) == 0 ? "0".repeat(32) : randomHex(random, 32);
      String spanId = random.nextInt(50) == 0 ? "0".repeat(16) : randomHex(random, 16);
      String header = versions[random.nextInt(versions.length)] + "-" + traceId + "-" + spanId + "-"
          + flags[random.nextInt(flags.length)];
      if (random.nextInt(4) == 0) {
        header += "-" + randomHex(random, random.nextInt(6));
      }
      if (random.nextInt(3) == 0) {
        header = mutate(random, header);
      }
      SpanContext expected = reference(header);
      SpanContext actual = extract(header);
      if (expected == null) {
        assertThat(actual.isValid()).as("%s", header).isFalse();
      } else {
        valid++;
        assertThat(actual).as("%s", header).isEqualTo(expected);
      }
    }
    assertThat(valid).isBetween(5_000, 15_000); // both kinds well represented
  }
}
