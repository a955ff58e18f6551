package dev.spanwise.benchmarks.load;

import dev.spanwise.codec.DecodeResult;
import dev.spanwise.codec.SpanBatch;
import dev.spanwise.codec.SpanBatchCodec;
import dev.spanwise.codec.jaeger.JaegerThriftDecoder;
import dev.spanwise.codec.otlp.OtlpTraceDecoder;
import dev.spanwise.codec.zipkin.ZipkinJsonDecoder;
import dev.spanwise.model.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The all-in-one's codec work per span on the bodies the ingest load generator sends (the same
 * workload, batches of {@value #BATCH} spans), on one thread: what a receiver does before the
 * write-ahead log ({@code receive*}: validate, and for Zipkin and Jaeger decode into model spans
 * and encode the log's OTLP record) and what the indexer does with a log record ({@code
 * indexerDecode*}). Scores are spans per second.
 *
 * <pre>
 * java -cp benchmarks/load/target/spanwise-load-benchmarks.jar org.openjdk.jmh.Main \
 *     ReceiverCodecBenchmarks -prof gc -wi 3 -w 2 -i 5 -r 2 -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReceiverCodecBenchmarks {
  static final int BATCH = 1000;
  private static final int BODIES = 16;
  private static final String TENANT = "default";

  private byte[][] otlp;
  private byte[][] zipkin;
  private byte[][] jaeger;
  private List<List<Span>> zipkinSpans;
  private byte[][] otlpRecords;
  private byte[][] zipkinRecords;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    otlp = bodies(Protocol.OTLP_HTTP);
    zipkin = bodies(Protocol.ZIPKIN_JSON);
    jaeger = bodies(Protocol.JAEGER_THRIFT_HTTP);
    zipkinSpans = new ArrayList<>();
    otlpRecords = new byte[BODIES][];
    zipkinRecords = new byte[BODIES][];
    for (int i = 0; i < BODIES; i++) {
      otlpRecords[i] = SpanBatchCodec.wrapTracesData(TENANT, otlp[i], 0, otlp[i].length);
      zipkinSpans.add(ZipkinJsonDecoder.decode(zipkin[i]));
      zipkinRecords[i] = SpanBatchCodec.encode(TENANT, zipkinSpans.get(i));
    }
  }

  private static byte[][] bodies(Protocol protocol) {
    WorkloadGenerator generator = new WorkloadGenerator(42, () -> 1_700_000_000_000_000_000L);
    BatchPool pool = BatchPool.build(protocol, generator, BATCH, BATCH * BODIES, 7);
    byte[][] out = new byte[BODIES][];
    for (int i = 0; i < BODIES; i++) out[i] = pool.payload(i);
    return out;
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) % BODIES;
    return i;
  }

  /** OTLP/HTTP protobuf: scan the body (no objects), wrap it as the log record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] receiveOtlp() {
    byte[] body = otlp[nextIndex()];
    OtlpTraceDecoder.Scan scan = OtlpTraceDecoder.scan(body, 0, body.length);
    if (scan.rejectedSpans() != 0) throw new AssertionError(scan.errorMessage());
    return SpanBatchCodec.wrapTracesData(TENANT, body, 0, body.length);
  }

  /** Zipkin v2 JSON: decode into model spans, encode them as the log's OTLP record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] receiveZipkinJson() {
    List<Span> spans = ZipkinJsonDecoder.decode(zipkin[nextIndex()]);
    return SpanBatchCodec.encode(TENANT, spans);
  }

  /** The second half of {@link #receiveZipkinJson}: decoded spans encoded as the log record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] encodeRecord() {
    return SpanBatchCodec.encode(TENANT, zipkinSpans.get(nextIndex()));
  }

  /** Jaeger Thrift binary: decode into model spans, encode them as the log's OTLP record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] receiveJaegerThrift() {
    DecodeResult decoded = JaegerThriftDecoder.decodeBatch(jaeger[nextIndex()]);
    return SpanBatchCodec.encode(TENANT, decoded.spans());
  }

  /** The indexer: the log record of an OTLP body back into model spans. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public SpanBatch indexerDecodeOtlpRecord() {
    return SpanBatchCodec.decode(otlpRecords[nextIndex()]);
  }

  /** The indexer: the log record the Zipkin receiver encoded back into model spans. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public SpanBatch indexerDecodeZipkinRecord() {
    return SpanBatchCodec.decode(zipkinRecords[nextIndex()]);
  }
}
