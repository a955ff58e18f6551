package dev.spanwise.tracer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

class TraceStateTest {
  @Test
  void parsesMembersWithOptionalWhitespaceAndEmptyMembers() {
    TraceState s = TraceState.parse("rojo=00f067aa0ba902b7, \t congo=t61rcWkgMzE,,");
    assertThat(s.asMap()).containsExactly(
        java.util.Map.entry("rojo", "00f067aa0ba902b7"), java.util.Map.entry("congo", "t61rcWkgMzE"));
    assertThat(s.toHeader()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  }

  @Test
  void multiTenantKeys() {
    assertThat(TraceState.parse("1tenant@vendor=x").get("1tenant@vendor")).isEqualTo("x");
    assertThat(TraceState.parse("tenant@1vendor=x")).isNull();
    assertThat(TraceState.parse("a@b@c=x")).isNull();
  }

  @Test
  void invalidValuesMakeTheWholeStateInvalid() {
    assertThat(TraceState.parse("Foo=1")).isNull(); // upper case key
    assertThat(TraceState.parse("foo=1,foo=2")).isNull(); // duplicate key
    assertThat(TraceState.parse("foo")).isNull(); // no '='
    assertThat(TraceState.parse("foo=bar=baz")).isNull(); // '=' in value
    assertThat(TraceState.parse("foo=")).isNull(); // empty value
    assertThat(TraceState.parse("foo=\u00e9")).isNull(); // non ASCII
  }

  @Test
  void atMost32Members() {
    StringJoiner ok = new StringJoiner(",");
    for (int i = 0; i < 32; i++) {
      ok.add("k" + i + "=v");
    }
    assertThat(TraceState.parse(ok.toString()).size()).isEqualTo(32);
    assertThat(TraceState.parse(ok + ",k32=v")).isNull();
  }

  @Test
  void putMovesKeyToTheFrontAndDropsTheRightmostWhenFull() {
    TraceState s = TraceState.parse("a=1,b=2,c=3").put("b", "9");
    assertThat(s.toHeader()).isEqualTo("b=9,a=1,c=3");
    assertThat(s.put("new", "x").toHeader()).isEqualTo("new=x,b=9,a=1,c=3");
    assertThat(s.remove("a").toHeader()).isEqualTo("b=9,c=3");
    assertThat(s.put("BAD", "x")).isSameAs(s);
    StringJoiner full = new StringJoiner(",");
    for (int i = 0; i < 32; i++) {
      full.add("k" + i + "=v");
    }
    TraceState f = TraceState.parse(full.toString()).put("z", "1");
    assertThat(f.size()).isEqualTo(32);
    assertThat(f.get("z")).isEqualTo("1");
    assertThat(f.get("k31")).isNull();
  }
}
