package dev.spanwise.benchmarks.tracer;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.OtlpProtoEncoder;
import dev.spanwise.tracer.export.SpanData;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * OTLP protobuf encoding throughput (spans per second, one thread) of a 512-span batch like the
 * seed program's spans: Spanwise's hand-written encoder vs the OpenTelemetry exporter's marshaler.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class OtlpEncodeBenchmarks {
  static final int BATCH = 512;

  List<SpanData> spanwiseSpans;
  OtlpProtoEncoder encoder;
  List<io.opentelemetry.sdk.trace.data.SpanData> otelSpans;

  @Setup
  public void setup() {
    spanwiseSpans = spanwiseBatch();
    encoder = new OtlpProtoEncoder();
    otelSpans = otelBatch();
  }

  static List<SpanData> spanwiseBatch() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    Tracer tracer = Tracer.builder().serviceName("shop-frontend")
        .addSpanProcessor(dev.spanwise.tracer.export.SimpleSpanProcessor.create(exporter)).build();
    for (int i = 0; i < BATCH; i++) {
      Span span = tracer.spanBuilder("GET /product/{id}").setSpanKind(SpanKind.SERVER).startSpan();
      span.setAttribute("http.request.method", "GET");
      span.setAttribute("http.response.status_code", 200L);
      span.setAttribute("url.path", "/product/" + i);
      span.addEvent("product details fetched", Attributes.of("product.id", String.valueOf(i)));
      if (i % 10 == 0) {
        span.setStatus(StatusCode.ERROR, "timeout");
      }
      span.end();
    }
    tracer.close();
    return exporter.finishedSpans();
  }

  static List<io.opentelemetry.sdk.trace.data.SpanData> otelBatch() {
    List<io.opentelemetry.sdk.trace.data.SpanData> spans = new ArrayList<>();
    io.opentelemetry.sdk.trace.export.SpanExporter collect = new io.opentelemetry.sdk.trace.export.SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<io.opentelemetry.sdk.trace.data.SpanData> batch) {
        spans.addAll(batch);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(io.opentelemetry.sdk.resources.Resource.getDefault().merge(
            io.opentelemetry.sdk.resources.Resource.builder().put("service.name", "shop-frontend").build()))
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(collect)).build();
    io.opentelemetry.api.trace.Tracer tracer = provider.get("bench");
    for (int i = 0; i < BATCH; i++) {
      io.opentelemetry.api.trace.Span span = tracer.spanBuilder("GET /product/{id}")
          .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER).startSpan();
      span.setAttribute(AttributeKey.stringKey("http.request.method"), "GET");
      span.setAttribute(AttributeKey.longKey("http.response.status_code"), 200L);
      span.setAttribute(AttributeKey.stringKey("url.path"), "/product/" + i);
      span.addEvent("product details fetched", io.opentelemetry.api.common.Attributes.of(
          AttributeKey.stringKey("product.id"), String.valueOf(i)));
      if (i % 10 == 0) {
        span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "timeout");
      }
      span.end();
    }
    provider.close();
    return spans;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] otlpEncode_spanwise() {
    return encoder.encode(spanwiseSpans);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public byte[] otlpEncode_otel() throws IOException {
    TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(otelSpans);
    ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize());
    marshaler.writeBinaryTo(out);
    return out.toByteArray();
  }
}
