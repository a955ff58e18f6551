package dev.spanwise.benchmarks.tracer;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.B3Propagation;
import brave.propagation.TraceContext;
import brave.propagation.ThreadLocalCurrentTraceContext;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.export.BatchSpanProcessor;
import dev.spanwise.tracer.export.ExportResult;
import dev.spanwise.tracer.export.SpanExporter;
import dev.spanwise.tracer.sampling.Sampler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Collection;

/**
 * The three tracers set up the same way: a batch processor (or Brave's handler) in front of an
 * exporter that does nothing.
 */
final class TracerSetups {
  private TracerSetups() {}

  static Tracer spanwise(boolean sampled) {
    SpanExporter nothing = new SpanExporter() {
      @Override
      public ExportResult export(Collection<dev.spanwise.tracer.export.SpanData> spans) {
        return ExportResult.SUCCESS;
      }
    };
    return Tracer.builder().serviceName("bench")
        .sampler(sampled ? Sampler.alwaysOn() : Sampler.alwaysOff())
        .addSpanProcessor(BatchSpanProcessor.builder(nothing).build())
        .build();
  }

  static SdkTracerProvider otel(boolean sampled) {
    io.opentelemetry.sdk.trace.export.SpanExporter nothing = new io.opentelemetry.sdk.trace.export.SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
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
    return SdkTracerProvider.builder()
        .setSampler(sampled ? io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOn()
            : io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOff())
        .addSpanProcessor(io.opentelemetry.sdk.trace.export.BatchSpanProcessor.builder(nothing).build())
        .build();
  }

  static Tracing brave(boolean sampled) {
    return Tracing.newBuilder().localServiceName("bench")
        .sampler(sampled ? brave.sampler.Sampler.ALWAYS_SAMPLE : brave.sampler.Sampler.NEVER_SAMPLE)
        .currentTraceContext(ThreadLocalCurrentTraceContext.create())
        .propagationFactory(B3Propagation.newFactoryBuilder()
            .injectFormat(B3Propagation.Format.SINGLE_NO_PARENT).build())
        .addSpanHandler(new SpanHandler() {
          @Override
          public boolean end(TraceContext context, MutableSpan span, Cause cause) {
            return true;
          }
        })
        .build();
  }

  static void close(Tracer tracer) {
    tracer.close(Duration.ofSeconds(5));
  }
}
