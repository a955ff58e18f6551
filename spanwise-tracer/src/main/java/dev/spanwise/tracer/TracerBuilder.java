package dev.spanwise.tracer;

import dev.spanwise.tracer.export.BatchSpanProcessor;
import dev.spanwise.tracer.export.SpanExporter;
import dev.spanwise.tracer.export.SpanProcessor;
import dev.spanwise.tracer.internal.TracerSharedState;
import dev.spanwise.tracer.propagation.TextMapPropagator;
import dev.spanwise.tracer.sampling.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link Tracer}. Defaults: service {@code unknown_service:java}, sampler
 * parent-based always-on, W3C Trace Context and Baggage propagation, OpenTelemetry's span limits,
 * and no exporter (spans are dropped) unless one is set.
 */
public final class TracerBuilder {
  private String serviceName;
  private Attributes resourceAttributes = Attributes.empty();
  private Resource resource;
  private Sampler sampler = Sampler.parentBased(Sampler.alwaysOn());
  private final List<SpanProcessor> processors = new ArrayList<>();
  private TextMapPropagator propagator =
      TextMapPropagator.composite(TextMapPropagator.w3cTraceContext(), TextMapPropagator.w3cBaggage());
  private SpanLimits limits = SpanLimits.defaults();
  private String scopeName = Tracer.DEFAULT_SCOPE_NAME;
  private String scopeVersion = Resource.SDK_VERSION;

  TracerBuilder() {}

  /** Sets {@code service.name} of the default resource. */
  public TracerBuilder serviceName(String serviceName) {
    if (serviceName == null || serviceName.isEmpty()) {
      throw new IllegalArgumentException("serviceName must not be empty");
    }
    this.serviceName = serviceName;
    return this;
  }

  /** Attributes added to the default resource (they win over the defaults). */
  public TracerBuilder resourceAttributes(Attributes attributes) {
    this.resourceAttributes = Objects.requireNonNull(attributes, "resourceAttributes");
    return this;
  }

  /** Replaces the default resource entirely. */
  public TracerBuilder resource(Resource resource) {
    this.resource = Objects.requireNonNull(resource, "resource");
    return this;
  }

  public TracerBuilder sampler(Sampler sampler) {
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    return this;
  }

  /** Adds a processor; spans go to each in order. */
  public TracerBuilder addSpanProcessor(SpanProcessor processor) {
    processors.add(Objects.requireNonNull(processor, "spanProcessor"));
    return this;
  }

  /** Adds a {@link BatchSpanProcessor} with default settings around {@code exporter}. */
  public TracerBuilder exporter(SpanExporter exporter) {
    return addSpanProcessor(BatchSpanProcessor.builder(Objects.requireNonNull(exporter, "exporter")).build());
  }

  public TracerBuilder propagator(TextMapPropagator propagator) {
    this.propagator = Objects.requireNonNull(propagator, "propagator");
    return this;
  }

  public TracerBuilder spanLimits(SpanLimits limits) {
    this.limits = Objects.requireNonNull(limits, "spanLimits");
    return this;
  }

  /** The instrumentation scope of the built tracer (default {@code dev.spanwise.tracer}). */
  public TracerBuilder instrumentationScope(String name, String version) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("instrumentationScope name must not be empty");
    }
    this.scopeName = name;
    this.scopeVersion = version;
    return this;
  }

  public Tracer build() {
    Resource r = resource;
    if (r == null) {
      String name = serviceName;
      if (name == null && resourceAttributes.get("service.name") != null) {
        name = resourceAttributes.get("service.name").toString();
      }
      r = Resource.defaultFor(name).merge(Resource.create(resourceAttributes));
      if (serviceName != null) {
        r = r.merge(Resource.create(Attributes.of("service.name", serviceName)));
      }
    }
    SpanProcessor processor;
    if (processors.isEmpty()) {
      processor = NoopProcessor.INSTANCE;
    } else if (processors.size() == 1) {
      processor = processors.get(0);
    } else {
      processor = new MultiProcessor(new ArrayList<>(processors));
    }
    TracerSharedState state = new TracerSharedState(r, sampler, processor, propagator, limits);
    return new Tracer(state, InstrumentationScope.create(scopeName, scopeVersion));
  }

  private static final class NoopProcessor implements SpanProcessor {
    static final NoopProcessor INSTANCE = new NoopProcessor();

    @Override
    public void onEnd(dev.spanwise.tracer.export.SpanData span) {}

    @Override
    public boolean flush(Duration timeout) {
      return true;
    }

    @Override
    public boolean shutdown(Duration timeout) {
      return true;
    }

    @Override
    public String toString() {
      return "none";
    }
  }

  private static final class MultiProcessor implements SpanProcessor {
    private final List<SpanProcessor> processors;

    MultiProcessor(List<SpanProcessor> processors) {
      this.processors = processors;
    }

    @Override
    public void onEnd(dev.spanwise.tracer.export.SpanData span) {
      for (SpanProcessor p : processors) {
        try {
          p.onEnd(span);
        } catch (RuntimeException e) {
          // never into the application
        }
      }
    }

    @Override
    public boolean flush(Duration timeout) {
      boolean ok = true;
      for (SpanProcessor p : processors) {
        ok &= p.flush(timeout);
      }
      return ok;
    }

    @Override
    public boolean shutdown(Duration timeout) {
      boolean ok = true;
      for (SpanProcessor p : processors) {
        ok &= p.shutdown(timeout);
      }
      return ok;
    }

    @Override
    public String toString() {
      return processors.toString();
    }
  }
}
