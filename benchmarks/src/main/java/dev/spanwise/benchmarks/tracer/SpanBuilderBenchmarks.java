package dev.spanwise.benchmarks.tracer;

import brave.Tracing;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
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
 * Span creation: (a) a sampled root span with three attributes and one event, (c) an unsampled
 * span, (e) an error span with a recorded exception; Spanwise vs OpenTelemetry SDK vs Brave.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class SpanBuilderBenchmarks {
  private static final AttributeKey<String> OTEL_METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> OTEL_STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<Boolean> OTEL_CACHED = AttributeKey.booleanKey("cache.hit");

  Tracer spanwise;
  Tracer spanwiseUnsampled;
  SdkTracerProvider otelProvider;
  SdkTracerProvider otelUnsampledProvider;
  io.opentelemetry.api.trace.Tracer otel;
  io.opentelemetry.api.trace.Tracer otelUnsampled;
  Tracing braveTracing;
  Tracing braveUnsampledTracing;
  brave.Tracer brave;
  brave.Tracer braveUnsampled;
  Exception exception;

  @Setup
  public void setup() {
    spanwise = TracerSetups.spanwise(true);
    spanwiseUnsampled = TracerSetups.spanwise(false);
    otelProvider = TracerSetups.otel(true);
    otelUnsampledProvider = TracerSetups.otel(false);
    otel = otelProvider.get("bench");
    otelUnsampled = otelUnsampledProvider.get("bench");
    braveTracing = TracerSetups.brave(true);
    braveUnsampledTracing = TracerSetups.brave(false);
    brave = braveTracing.tracer();
    braveUnsampled = braveUnsampledTracing.tracer();
    exception = new IllegalStateException("product service failed");
  }

  @TearDown
  public void tearDown() {
    TracerSetups.close(spanwise);
    TracerSetups.close(spanwiseUnsampled);
    otelProvider.close();
    otelUnsampledProvider.close();
    braveTracing.close();
    braveUnsampledTracing.close();
  }

  // ---- (a) sampled root span with three attributes and one event

  @Benchmark
  public void a_sampledSpan_spanwise() {
    Span span = spanwise.spanBuilder("GET /product").startSpan();
    span.setAttribute("http.request.method", "GET");
    span.setAttribute("http.response.status_code", 200L);
    span.setAttribute("cache.hit", true);
    span.addEvent("product details fetched");
    span.end();
  }

  @Benchmark
  public void a_sampledSpan_otel() {
    io.opentelemetry.api.trace.Span span = otel.spanBuilder("GET /product").startSpan();
    span.setAttribute(OTEL_METHOD, "GET");
    span.setAttribute(OTEL_STATUS, 200L);
    span.setAttribute(OTEL_CACHED, true);
    span.addEvent("product details fetched");
    span.end();
  }

  @Benchmark
  public void a_sampledSpan_brave() {
    brave.Span span = brave.newTrace().name("GET /product").start();
    span.tag("http.request.method", "GET");
    span.tag("http.response.status_code", "200");
    span.tag("cache.hit", "true");
    span.annotate("product details fetched");
    span.finish();
  }

  // ---- (c) unsampled span

  @Benchmark
  public void c_unsampledSpan_spanwise() {
    Span span = spanwiseUnsampled.spanBuilder("GET /product").startSpan();
    span.end();
  }

  @Benchmark
  public void c_unsampledSpan_otel() {
    io.opentelemetry.api.trace.Span span = otelUnsampled.spanBuilder("GET /product").startSpan();
    span.end();
  }

  @Benchmark
  public void c_unsampledSpan_brave() {
    brave.Span span = braveUnsampled.newTrace().name("GET /product").start();
    span.finish();
  }

  // ---- (e) error span with a recorded exception

  @Benchmark
  public void e_errorSpan_spanwise() {
    Span span = spanwise.spanBuilder("product_service").startSpan();
    span.recordException(exception);
    span.setStatus(StatusCode.ERROR, "product service failed");
    span.end();
  }

  /**
   * The same, plus reading the event's attributes on this thread, which renders the stack trace
   * that Spanwise otherwise renders on the exporter's thread: the whole cost in one place.
   */
  @Benchmark
  public Object e_errorSpanRenderedInline_spanwise() {
    Span span = spanwise.spanBuilder("product_service").startSpan();
    span.recordException(exception);
    span.setStatus(StatusCode.ERROR, "product service failed");
    span.end();
    return ((dev.spanwise.tracer.export.SpanData) span).events().get(0).attributes();
  }

  @Benchmark
  public void e_errorSpan_otel() {
    io.opentelemetry.api.trace.Span span = otel.spanBuilder("product_service").startSpan();
    span.recordException(exception);
    span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "product service failed");
    span.end();
  }

  /** Brave's error() only tags the message; it renders no stack trace. */
  @Benchmark
  public void e_errorSpan_brave() {
    brave.Span span = brave.newTrace().name("product_service").start();
    span.error(exception);
    span.finish();
  }
}
