package dev.spanwise.sampling;

import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import java.util.concurrent.atomic.AtomicLong;

/** Root and child spans as a Jaeger client reports them. */
final class TestSpans {
  private static final AtomicLong IDS = new AtomicLong(1);

  private TestSpans() {}

  static Span root(String service, String operation, String samplerType, double samplerParam) {
    long id = IDS.getAndIncrement();
    return Span.builder()
        .resource(Resource.ofServiceName(service))
        .traceId(TraceId.of(0, id))
        .spanId(id)
        .name(operation)
        .attributes(Attributes.builder()
            .put("sampler.type", samplerType)
            .put("sampler.param", samplerParam)
            .build())
        .build();
  }

  static Span child(String service, String operation) {
    long id = IDS.getAndIncrement();
    return Span.builder()
        .resource(Resource.ofServiceName(service))
        .traceId(TraceId.of(0, id))
        .spanId(id)
        .parentSpanId(id + 1_000_000)
        .name(operation)
        .build();
  }
}
