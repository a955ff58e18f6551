package dev.spanwise.tracer;

import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SimpleSpanProcessor;
import dev.spanwise.tracer.sampling.Sampler;

final class TestTracers {
  private TestTracers() {}

  static Tracer inMemory(InMemorySpanExporter exporter) {
    return inMemory(exporter, SpanLimits.defaults(), Sampler.alwaysOn());
  }

  static Tracer inMemory(InMemorySpanExporter exporter, SpanLimits limits, Sampler sampler) {
    return Tracer.builder()
        .serviceName("test-service")
        .sampler(sampler)
        .spanLimits(limits)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }
}
