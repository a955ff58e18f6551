package dev.spanwise.benchmarks.tracer;

import brave.Tracing;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.TraceState;
import dev.spanwise.tracer.propagation.TextMapGetter;
import dev.spanwise.tracer.propagation.TextMapPropagator;
import dev.spanwise.tracer.propagation.TextMapSetter;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * (d) W3C inject then extract through a map carrier. Brave's core has no W3C propagation, so its
 * row uses its B3 single header, the closest equivalent.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PropagationBenchmarks {
  private static final TextMapSetter<Map<String, String>> SETTER = Map::put;
  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier.get(key);
    }
  };
  private static final io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>> OTEL_GETTER =
      new io.opentelemetry.context.propagation.TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation")
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  final Map<String, String> carrier = new HashMap<>();
  TextMapPropagator spanwise;
  Context spanwiseContext;
  W3CTraceContextPropagator otel;
  io.opentelemetry.context.Context otelContext;
  Tracing braveTracing;
  TraceContext braveContext;
  TraceContext.Injector<Map<String, String>> braveInjector;
  TraceContext.Extractor<Map<String, String>> braveExtractor;

  @Setup
  public void setup() {
    spanwise = TextMapPropagator.w3cTraceContext();
    spanwiseContext = Context.root().with(Span.wrap(SpanContext.create(
        0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L, (byte) 1, TraceState.empty())));
    otel = W3CTraceContextPropagator.getInstance();
    otelContext = io.opentelemetry.context.Context.root().with(io.opentelemetry.api.trace.Span.wrap(
        io.opentelemetry.api.trace.SpanContext.create("0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331", TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault())));
    braveTracing = TracerSetups.brave(true);
    braveContext = TraceContext.newBuilder().traceIdHigh(0x0af7651916cd43ddL)
        .traceId(0x8448eb211c80319cL).spanId(0xb7ad6b7169203331L).sampled(true).build();
    braveInjector = braveTracing.propagation().injector(Map::put);
    braveExtractor = braveTracing.propagation().extractor(Map::get);
  }

  @TearDown
  public void tearDown() {
    braveTracing.close();
  }

  @Benchmark
  public Context d_injectExtract_spanwise() {
    carrier.clear();
    spanwise.inject(spanwiseContext, carrier, SETTER);
    return spanwise.extract(Context.root(), carrier, GETTER);
  }

  @Benchmark
  public io.opentelemetry.context.Context d_injectExtract_otel() {
    carrier.clear();
    otel.inject(otelContext, carrier, Map::put);
    return otel.extract(io.opentelemetry.context.Context.root(), carrier, OTEL_GETTER);
  }

  @Benchmark
  public TraceContextOrSamplingFlags d_injectExtract_brave_b3() {
    carrier.clear();
    braveInjector.inject(braveContext, carrier);
    return braveExtractor.extract(carrier);
  }
}
