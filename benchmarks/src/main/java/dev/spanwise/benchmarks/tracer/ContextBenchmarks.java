package dev.spanwise.benchmarks.tracer;

import brave.Tracing;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.Tracer;
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

/** (b) A parent span made current and a child created through the current context. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ContextBenchmarks {
  Tracer spanwise;
  SdkTracerProvider otelProvider;
  io.opentelemetry.api.trace.Tracer otel;
  Tracing braveTracing;
  brave.Tracer brave;

  @Setup
  public void setup() {
    spanwise = TracerSetups.spanwise(true);
    otelProvider = TracerSetups.otel(true);
    otel = otelProvider.get("bench");
    braveTracing = TracerSetups.brave(true);
    brave = braveTracing.tracer();
  }

  @TearDown
  public void tearDown() {
    TracerSetups.close(spanwise);
    otelProvider.close();
    braveTracing.close();
  }

  @Benchmark
  public void b_parentAndChild_spanwise() {
    Span parent = spanwise.spanBuilder("user_request").startSpan();
    try (dev.spanwise.tracer.Scope ignored = parent.makeCurrent()) {
      Span child = spanwise.spanBuilder("auth_service").startSpan();
      child.end();
    }
    parent.end();
  }

  @Benchmark
  public void b_parentAndChild_otel() {
    io.opentelemetry.api.trace.Span parent = otel.spanBuilder("user_request").startSpan();
    try (io.opentelemetry.context.Scope ignored = parent.makeCurrent()) {
      io.opentelemetry.api.trace.Span child = otel.spanBuilder("auth_service").startSpan();
      child.end();
    }
    parent.end();
  }

  @Benchmark
  public void b_parentAndChild_brave() {
    brave.Span parent = brave.newTrace().name("user_request").start();
    try (brave.Tracer.SpanInScope ignored = brave.withSpanInScope(parent)) {
      brave.Span child = brave.nextSpan().name("auth_service").start();
      child.finish();
    }
    parent.finish();
  }
}
