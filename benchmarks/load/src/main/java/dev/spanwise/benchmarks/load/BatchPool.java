package dev.spanwise.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Request bodies encoded before the timed run, reused round after round with fresh trace ids.
 *
 * <p>The pool holds {@code poolSpans} spans of whole traces (the last one may be cut short, which
 * leaves a valid smaller tree), split into batches of exactly {@code batchSpans}. Round {@code r}
 * of the pool sends every trace id XOR a 128-bit mask drawn for that round: XOR is a bijection,
 * so ids stay distinct within a round, stay uniformly random, and a trace split across two
 * batches keeps one id. Round 0 sends the ids as generated. The only per-request work left is
 * one array copy and rewriting the trace-id bytes in place.
 *
 * <p>How spans are cut into batches is the {@link Batching}. A protocol whose request holds one
 * process only (Jaeger's {@code Batch}) always gets its batches per instance.
 */
final class BatchPool {
  /** How the generated spans are cut into requests. */
  enum Batching {
    /**
     * Consecutive whole traces, every service in one request: what a collector in front sends
     * when it groups spans by trace (tail sampling, {@code groupbytrace}).
     */
    TRACES,
    /**
     * The way an SDK or a Jaeger client exports: each service instance's spans are buffered and a
     * request is cut whenever an instance has {@code batchSpans} of them; what is left in the
     * buffers at the end is not sent.
     */
    INSTANCES;

    /** The value of a {@code --batching} flag: {@code traces} or {@code instances}. */
    static Batching fromFlag(String flag) {
      for (Batching b : values()) {
        if (b.name().toLowerCase(Locale.ROOT).equals(flag)) return b;
      }
      throw new IllegalArgumentException(
          "--batching: must be traces or instances, not '" + flag + "'");
    }
  }

  private final Protocol protocol;
  private final int batchSpans;
  private final List<byte[]> payloads;
  private final List<int[]> traceIdOffsets;
  private final List<TraceId> traceIds;
  private final long maskSeed;

  private BatchPool(Protocol protocol, int batchSpans, List<byte[]> payloads,
      List<int[]> traceIdOffsets, List<TraceId> traceIds, long maskSeed) {
    this.protocol = protocol;
    this.batchSpans = batchSpans;
    this.payloads = payloads;
    this.traceIdOffsets = traceIdOffsets;
    this.traceIds = traceIds;
    this.maskSeed = maskSeed;
  }

  /**
   * Generates and encodes at least {@code poolSpans} spans (rounded up to whole batches).
   *
   * @param maskSeed makes the per-round masks differ between runs against one server
   */
  static BatchPool build(Protocol protocol, WorkloadGenerator generator, int batchSpans,
      int poolSpans, long maskSeed) {
    return build(protocol, Batching.TRACES, generator, batchSpans, poolSpans, maskSeed);
  }

  /**
   * As {@link #build(Protocol, WorkloadGenerator, int, int, long)}, cutting batches as {@code
   * batching} says (per instance always for a protocol that requires it).
   */
  static BatchPool build(Protocol protocol, Batching batching, WorkloadGenerator generator,
      int batchSpans, int poolSpans, long maskSeed) {
    if (batchSpans < 1) throw new IllegalArgumentException("batchSpans: must be positive");
    if (poolSpans < batchSpans) {
      throw new IllegalArgumentException("poolSpans: must be at least batchSpans (" + batchSpans + ")");
    }
    int batches = (poolSpans + batchSpans - 1) / batchSpans;
    List<List<LoadSpan>> spanBatches = protocol.batchesPerProcess() || batching == Batching.INSTANCES
        ? perProcessBatches(generator, batchSpans, batches)
        : batches(generator, batchSpans, batches);
    Set<TraceId> sent = new LinkedHashSet<>();
    for (List<LoadSpan> batch : spanBatches) {
      for (LoadSpan s : batch) sent.add(s.traceId());
    }
    List<TraceId> traceIds = new ArrayList<>(sent);
    List<byte[]> payloads = new ArrayList<>(batches);
    List<int[]> offsets = new ArrayList<>(batches);
    for (List<LoadSpan> batch : spanBatches) {
      byte[] payload = protocol.encode(batch);
      Set<TraceId> ids = new HashSet<>();
      for (LoadSpan s : batch) ids.add(s.traceId());
      int[] found;
      switch (protocol.idEncoding) {
        case BYTES:
          found = findBinaryIds(payload, ids);
          break;
        case HEX:
          found = findHexIds(payload, ids);
          break;
        default:
          found = findThriftIds(payload, ids);
      }
      if (found.length != batchSpans) {
        throw new IllegalStateException("found " + found.length + " trace ids in a batch of "
            + batchSpans + " spans");
      }
      payloads.add(payload);
      offsets.add(found);
    }
    return new BatchPool(protocol, batchSpans, List.copyOf(payloads), List.copyOf(offsets),
        List.copyOf(traceIds), maskSeed);
  }

  /** Consecutive batches of whole traces in generation order (the last trace may be cut). */
  private static List<List<LoadSpan>> batches(
      WorkloadGenerator generator, int batchSpans, int batches) {
    int total = batches * batchSpans;
    List<LoadSpan> spans = new ArrayList<>(total);
    while (spans.size() < total) {
      for (LoadSpan s : generator.nextTrace().spans()) {
        if (spans.size() == total) break;
        spans.add(s);
      }
    }
    List<List<LoadSpan>> out = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) out.add(spans.subList(b * batchSpans, (b + 1) * batchSpans));
    return out;
  }

  /** Batches of one service instance each, cut when an instance's buffer is full. */
  private static List<List<LoadSpan>> perProcessBatches(
      WorkloadGenerator generator, int batchSpans, int batches) {
    Map<String, List<LoadSpan>> buffers = new HashMap<>();
    List<List<LoadSpan>> out = new ArrayList<>(batches);
    while (out.size() < batches) {
      for (LoadSpan s : generator.nextTrace().spans()) {
        List<LoadSpan> buffer =
            buffers.computeIfAbsent(s.instance().instanceId(), k -> new ArrayList<>(batchSpans));
        buffer.add(s);
        if (buffer.size() == batchSpans) {
          out.add(List.copyOf(buffer));
          buffer.clear();
          if (out.size() == batches) break;
        }
      }
    }
    return out;
  }

  /** In a protobuf Span, trace_id is field 1, length-delimited: tag 0x0a, length 0x10. */
  static int[] findBinaryIds(byte[] payload, Set<TraceId> ids) {
    int[] out = new int[16];
    int n = 0;
    for (int i = 0; i + 18 <= payload.length; i++) {
      if (payload[i] != 0x0a || payload[i + 1] != 0x10) continue;
      long high = Bytes.getLong(payload, i + 2);
      long low = Bytes.getLong(payload, i + 10);
      if ((high | low) == 0 || !ids.contains(new TraceId(high, low))) continue;
      if (n == out.length) out = Arrays.copyOf(out, n * 2);
      out[n++] = i + 2;
      i += 17;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * In a Jaeger Thrift Span: i64 field 1 {@code traceIdLow} then i64 field 2 {@code traceIdHigh};
   * the offset is that of the low half, the high half is 11 bytes on.
   */
  static int[] findThriftIds(byte[] payload, Set<TraceId> ids) {
    int[] out = new int[16];
    int n = 0;
    byte[] low = JaegerThriftEncoder.TRACE_ID_LOW_FIELD;
    byte[] high = JaegerThriftEncoder.TRACE_ID_HIGH_FIELD;
    for (int i = 0; i + 22 <= payload.length; i++) {
      if (payload[i] != low[0] || payload[i + 1] != low[1] || payload[i + 2] != low[2]
          || payload[i + 11] != high[0] || payload[i + 12] != high[1]
          || payload[i + 13] != high[2]) {
        continue;
      }
      TraceId id = new TraceId(Bytes.getLong(payload, i + 14), Bytes.getLong(payload, i + 3));
      if (!ids.contains(id)) continue;
      if (n == out.length) out = Arrays.copyOf(out, n * 2);
      out[n++] = i + 3;
      i += 21;
    }
    return Arrays.copyOf(out, n);
  }

  /** A Zipkin JSON trace id: a quoted run of exactly 32 hex characters. */
  static int[] findHexIds(byte[] payload, Set<TraceId> ids) {
    int[] out = new int[16];
    int n = 0;
    for (int i = 0; i + 34 <= payload.length; i++) {
      if (payload[i] != '"' || payload[i + 33] != '"') continue;
      boolean hex = true;
      for (int j = i + 1; j <= i + 32 && hex; j++) hex = Bytes.isLowerHex(payload[j]);
      if (!hex) continue;
      long high = Bytes.parseHex(payload, i + 1);
      long low = Bytes.parseHex(payload, i + 17);
      if ((high | low) == 0 || !ids.contains(new TraceId(high, low))) continue;
      if (n == out.length) out = Arrays.copyOf(out, n * 2);
      out[n++] = i + 1;
      i += 33;
    }
    return Arrays.copyOf(out, n);
  }

  Protocol protocol() {
    return protocol;
  }

  int batchSpans() {
    return batchSpans;
  }

  int batches() {
    return payloads.size();
  }

  /** Total spans in one round of the pool. */
  long spansPerRound() {
    return (long) payloads.size() * batchSpans;
  }

  /** The trace ids of round 0, in generation order. */
  List<TraceId> traceIds() {
    return traceIds;
  }

  /** The trace id {@code original} carries in the given round. */
  TraceId traceIdInRound(TraceId original, long round) {
    if (round == 0) return original;
    return original.xor(maskHigh(round), maskLow(round));
  }

  /** The body of the {@code sendIndex}-th request: batch {@code sendIndex % batches()}. */
  byte[] payload(long sendIndex) {
    if (sendIndex < 0) throw new IllegalArgumentException("sendIndex: must not be negative");
    int b = (int) (sendIndex % payloads.size());
    long round = sendIndex / payloads.size();
    byte[] original = payloads.get(b);
    if (round == 0) return original;
    long mh = maskHigh(round);
    long ml = maskLow(round);
    byte[] out = original.clone();
    for (int offset : traceIdOffsets.get(b)) {
      switch (protocol.idEncoding) {
        case BYTES:
          Bytes.putLong(out, offset, Bytes.getLong(out, offset) ^ mh);
          Bytes.putLong(out, offset + 8, Bytes.getLong(out, offset + 8) ^ ml);
          break;
        case HEX:
          Bytes.putHex(out, offset, Bytes.parseHex(out, offset) ^ mh);
          Bytes.putHex(out, offset + 16, Bytes.parseHex(out, offset + 16) ^ ml);
          break;
        default: // Thrift: low half first, high half 11 bytes on
          Bytes.putLong(out, offset, Bytes.getLong(out, offset) ^ ml);
          Bytes.putLong(out, offset + 11, Bytes.getLong(out, offset + 11) ^ mh);
      }
    }
    return out;
  }

  /** Average encoded bytes per span. */
  double bytesPerSpan() {
    long sum = 0;
    for (byte[] p : payloads) sum += p.length;
    return (double) sum / spansPerRound();
  }

  private long maskHigh(long round) {
    return mix(maskSeed ^ (round * 0x9E3779B97F4A7C15L));
  }

  private long maskLow(long round) {
    return mix(maskSeed + round * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
