package dev.spanwise.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BatchPoolTest {

  static BatchPool pool(Protocol protocol) {
    return BatchPool.build(protocol, WorkloadGeneratorTest.generator(5), 100, 1000, 99);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void everyRoundCarriesTheSameSpansUnderFreshTraceIds(Protocol protocol) throws Exception {
    BatchPool pool = pool(protocol);
    assertThat(pool.batches()).isEqualTo(10);
    assertThat(pool.spansPerRound()).isEqualTo(1000);

    List<TraceId> round0 = new ArrayList<>();
    List<TraceId> round1 = new ArrayList<>();
    List<TraceId> round2 = new ArrayList<>();
    for (int b = 0; b < pool.batches(); b++) {
      assertThat(pool.payload(b)).isSameAs(pool.payload(b));
      round0.addAll(traceIds(protocol, pool.payload(b)));
      round1.addAll(traceIds(protocol, pool.payload(b + pool.batches())));
      round2.addAll(traceIds(protocol, pool.payload(b + 2L * pool.batches())));
    }
    assertThat(round0).hasSize(1000);
    assertThat(new HashSet<>(round0)).containsExactlyInAnyOrderElementsOf(pool.traceIds());
    for (int i = 0; i < round0.size(); i++) {
      assertThat(round1.get(i)).isEqualTo(pool.traceIdInRound(round0.get(i), 1));
      assertThat(round2.get(i)).isEqualTo(pool.traceIdInRound(round0.get(i), 2));
    }
    Set<TraceId> all = new HashSet<>(round0);
    int distinctPerRound = all.size();
    all.addAll(round1);
    all.addAll(round2);
    assertThat(all).as("no id repeats across rounds").hasSize(3 * distinctPerRound);
  }

  @Test
  void jaegerBatchesHoldOneProcessEach() {
    BatchPool pool = pool(Protocol.JAEGER_THRIFT_HTTP);
    for (int b = 0; b < pool.batches(); b++) {
      List<dev.spanwise.model.Span> spans =
          dev.spanwise.codec.jaeger.JaegerThriftDecoder.decodeBatch(pool.payload(b)).spans();
      assertThat(spans).hasSize(100);
      assertThat(spans).extracting(s -> s.resource()).containsOnly(spans.get(0).resource());
    }
  }

  @Test
  void otlpBatchesHoldWholeTracesOrOneInstanceAsAsked() throws Exception {
    WorkloadGenerator g = WorkloadGeneratorTest.generator(5);
    BatchPool traces = BatchPool.build(Protocol.OTLP_HTTP, BatchPool.Batching.TRACES, g, 100, 1000, 1);
    BatchPool instances =
        BatchPool.build(Protocol.OTLP_HTTP, BatchPool.Batching.INSTANCES, g, 100, 1000, 1);
    for (int b = 0; b < traces.batches(); b++) {
      ExportTraceServiceRequest t = ExportTraceServiceRequest.parseFrom(traces.payload(b));
      assertThat(t.getResourceSpansCount()).as("a batch of whole traces spans services")
          .isGreaterThan(1);
      ExportTraceServiceRequest i = ExportTraceServiceRequest.parseFrom(instances.payload(b));
      assertThat(i.getResourceSpansCount()).isEqualTo(1);
      assertThat(i.getResourceSpans(0).getScopeSpansList().stream()
          .mapToInt(s -> s.getSpansCount()).sum()).isEqualTo(100);
    }
  }

  @Test
  void batchingFlags() {
    assertThat(BatchPool.Batching.fromFlag("traces")).isEqualTo(BatchPool.Batching.TRACES);
    assertThat(BatchPool.Batching.fromFlag("instances")).isEqualTo(BatchPool.Batching.INSTANCES);
    assertThatThrownBy(() -> BatchPool.Batching.fromFlag("service"))
        .hasMessage("--batching: must be traces or instances, not 'service'");
  }

  @Test
  void reusedPayloadsDoNotAlterTheOriginals() {
    BatchPool pool = pool(Protocol.ZIPKIN_JSON);
    byte[] before = pool.payload(0).clone();
    pool.payload(pool.batches());
    assertThat(Arrays.equals(before, pool.payload(0))).isTrue();
  }

  @Test
  void rejectsBadSizes() {
    WorkloadGenerator g = WorkloadGeneratorTest.generator(1);
    assertThatThrownBy(() -> BatchPool.build(Protocol.OTLP_HTTP, g, 0, 10, 1))
        .hasMessageContaining("batchSpans");
    assertThatThrownBy(() -> BatchPool.build(Protocol.OTLP_HTTP, g, 100, 10, 1))
        .hasMessageContaining("poolSpans");
  }

  static List<TraceId> traceIds(Protocol protocol, byte[] payload) throws Exception {
    List<TraceId> out = new ArrayList<>();
    if (protocol == Protocol.JAEGER_THRIFT_HTTP) {
      for (dev.spanwise.model.Span span :
          dev.spanwise.codec.jaeger.JaegerThriftDecoder.decodeBatch(payload).spans()) {
        out.add(new TraceId(span.traceId().high(), span.traceId().low()));
      }
      return out;
    }
    if (protocol == Protocol.ZIPKIN_JSON) {
      for (JsonNode span : new ObjectMapper().readTree(payload)) {
        out.add(TraceId.fromHex(span.get("traceId").asText()));
      }
      return out;
    }
    byte[] message = protocol == Protocol.OTLP_GRPC
        ? Arrays.copyOfRange(payload, Protocol.GRPC_FRAME_HEADER, payload.length) : payload;
    if (protocol == Protocol.OTLP_GRPC) {
      int length = ((payload[1] & 0xff) << 24) | ((payload[2] & 0xff) << 16)
          | ((payload[3] & 0xff) << 8) | (payload[4] & 0xff);
      assertThat(payload[0]).isZero();
      assertThat(length).isEqualTo(message.length);
    }
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(message);
    request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
        ss.getSpansList().forEach(s -> {
          byte[] id = s.getTraceId().toByteArray();
          out.add(new TraceId(Bytes.getLong(id, 0), Bytes.getLong(id, 8)));
        })));
    return out;
  }
}
