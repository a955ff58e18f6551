package dev.spanwise.tracer.sampling;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import java.util.Objects;

/**
 * Follows the parent's sampled flag, as the OpenTelemetry {@code ParentBased} sampler: the root
 * sampler decides for root spans; four delegates (by default always-on for sampled parents,
 * always-off for unsampled ones) decide for remote and local parents.
 */
public final class ParentBasedSampler implements Sampler {
  private final Sampler root;
  private final Sampler remoteParentSampled;
  private final Sampler remoteParentNotSampled;
  private final Sampler localParentSampled;
  private final Sampler localParentNotSampled;

  private ParentBasedSampler(Builder b) {
    this.root = b.root;
    this.remoteParentSampled = b.remoteParentSampled;
    this.remoteParentNotSampled = b.remoteParentNotSampled;
    this.localParentSampled = b.localParentSampled;
    this.localParentNotSampled = b.localParentNotSampled;
  }

  public static Builder builder(Sampler root) {
    return new Builder(Objects.requireNonNull(root, "root"));
  }

  public Sampler root() {
    return root;
  }

  @Override
  public SamplingDecision shouldSample(
      SpanContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind) {
    Sampler delegate;
    if (!parent.isValid()) {
      delegate = root;
    } else if (parent.isRemote()) {
      delegate = parent.isSampled() ? remoteParentSampled : remoteParentNotSampled;
    } else {
      delegate = parent.isSampled() ? localParentSampled : localParentNotSampled;
    }
    return delegate.shouldSample(parent, traceIdHigh, traceIdLow, name, kind);
  }

  @Override
  public String description() {
    return "ParentBased{root=" + root.description() + ",remoteParentSampled="
        + remoteParentSampled.description() + ",remoteParentNotSampled="
        + remoteParentNotSampled.description() + ",localParentSampled="
        + localParentSampled.description() + ",localParentNotSampled="
        + localParentNotSampled.description() + "}";
  }

  @Override
  public String toString() {
    return description();
  }

  /** Builds a {@link ParentBasedSampler}. */
  public static final class Builder {
    private final Sampler root;
    private Sampler remoteParentSampled = Sampler.alwaysOn();
    private Sampler remoteParentNotSampled = Sampler.alwaysOff();
    private Sampler localParentSampled = Sampler.alwaysOn();
    private Sampler localParentNotSampled = Sampler.alwaysOff();

    private Builder(Sampler root) {
      this.root = root;
    }

    public Builder remoteParentSampled(Sampler sampler) {
      remoteParentSampled = Objects.requireNonNull(sampler, "remoteParentSampled");
      return this;
    }

    public Builder remoteParentNotSampled(Sampler sampler) {
      remoteParentNotSampled = Objects.requireNonNull(sampler, "remoteParentNotSampled");
      return this;
    }

    public Builder localParentSampled(Sampler sampler) {
      localParentSampled = Objects.requireNonNull(sampler, "localParentSampled");
      return this;
    }

    public Builder localParentNotSampled(Sampler sampler) {
      localParentNotSampled = Objects.requireNonNull(sampler, "localParentNotSampled");
      return this;
    }

    public ParentBasedSampler build() {
      return new ParentBasedSampler(this);
    }
  }
}
