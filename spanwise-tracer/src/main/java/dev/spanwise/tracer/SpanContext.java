package dev.spanwise.tracer;

import dev.spanwise.tracer.internal.Ids;
import java.nio.charset.StandardCharsets;

/**
 * The part of a span that crosses process boundaries: 128-bit trace id, 64-bit span id, trace
 * flags and trace state. Immutable. Ids are held as longs so that no hex string is built unless
 * asked for.
 */
public final class SpanContext {
  /** The sampled bit of the W3C trace flags. */
  public static final byte FLAG_SAMPLED = 0x01;
  private static final int TRACEPARENT_LENGTH = 55;

  private static final SpanContext INVALID =
      new SpanContext(0L, 0L, 0L, (byte) 0, TraceState.empty(), false);

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final byte traceFlags;
  private final TraceState traceState;
  private final boolean remote;
  /**
   * The W3C {@code traceparent} of this context, encoded on first use and kept: a context is usually injected into every outgoing call of its span.
   * Racy single-check: every thread computes the same immutable string.
   */
  private String traceparent;

  private SpanContext(
      long traceIdHigh, long traceIdLow, long spanId, byte traceFlags, TraceState traceState,
      boolean remote) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.traceFlags = traceFlags;
    this.traceState = traceState;
    this.remote = remote;
  }

  /** The invalid context (all-zero ids): what "no span" propagates as. */
  public static SpanContext invalid() {
    return INVALID;
  }

  /** A context created in this process. Returns {@link #invalid()} when an id is all zero. */
  public static SpanContext create(
      long traceIdHigh, long traceIdLow, long spanId, byte traceFlags, TraceState traceState) {
    return of(traceIdHigh, traceIdLow, spanId, traceFlags, traceState, false);
  }

  /** A context extracted from another process. Returns {@link #invalid()} when an id is all zero. */
  public static SpanContext createFromRemoteParent(
      long traceIdHigh, long traceIdLow, long spanId, byte traceFlags, TraceState traceState) {
    return of(traceIdHigh, traceIdLow, spanId, traceFlags, traceState, true);
  }

  /** Ids already known to be non-zero (the span builder's own). */
  static SpanContext createUnchecked(
      long traceIdHigh, long traceIdLow, long spanId, byte traceFlags, TraceState traceState,
      boolean remote) {
    return new SpanContext(traceIdHigh, traceIdLow, spanId, traceFlags, traceState, remote);
  }

  private static SpanContext of(
      long traceIdHigh, long traceIdLow, long spanId, byte traceFlags, TraceState traceState,
      boolean remote) {
    if ((traceIdHigh == 0L && traceIdLow == 0L) || spanId == 0L) {
      return INVALID;
    }
    return new SpanContext(
        traceIdHigh, traceIdLow, spanId, traceFlags,
        traceState == null ? TraceState.empty() : traceState, remote);
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  public long spanId() {
    return spanId;
  }

  /** 32 lower-case hex digits. */
  public String traceId() {
    return Ids.toHex(traceIdHigh, traceIdLow);
  }

  /** 16 lower-case hex digits. */
  public String spanIdHex() {
    return Ids.toHex(spanId);
  }

  public byte traceFlags() {
    return traceFlags;
  }

  public boolean isSampled() {
    return (traceFlags & FLAG_SAMPLED) != 0;
  }

  public TraceState traceState() {
    return traceState;
  }

  /** True when this context was extracted from a carrier rather than created here. */
  public boolean isRemote() {
    return remote;
  }

  /** False only for {@link #invalid()}. */
  /**
   * This context as a W3C Trace Context version {@code 00} {@code traceparent} value ({@code
   * 00-<trace id>-<span id>-<flags>}, lower-case hex), or null when it is not valid.
   */
  public String traceparent() {
    String value = traceparent;
    if (value == null && this != INVALID) {
      value = encodeTraceparent();
      traceparent = value;
    }
    return value;
  }

  private String encodeTraceparent() {
    byte[] b = new byte[TRACEPARENT_LENGTH];
    b[0] = '0';
    b[1] = '0';
    b[2] = '-';
    Ids.writeHex(traceIdHigh, b, 3);
    Ids.writeHex(traceIdLow, b, 19);
    b[35] = '-';
    Ids.writeHex(spanId, b, 36);
    b[52] = '-';
    Ids.writeHexByte(traceFlags & 0xff, b, 53);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  public boolean isValid() {
    return this != INVALID;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SpanContext)) {
      return false;
    }
    SpanContext that = (SpanContext) o;
    return traceIdHigh == that.traceIdHigh && traceIdLow == that.traceIdLow
        && spanId == that.spanId && traceFlags == that.traceFlags && remote == that.remote
        && traceState.equals(that.traceState);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(traceIdHigh);
    h = 31 * h + Long.hashCode(traceIdLow);
    h = 31 * h + Long.hashCode(spanId);
    return 31 * h + traceFlags;
  }

  @Override
  public String toString() {
    return "SpanContext{traceId=" + traceId() + ", spanId=" + spanIdHex() + ", flags="
        + traceFlags + ", remote=" + remote + ", traceState=" + traceState + "}";
  }
}
