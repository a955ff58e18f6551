package dev.spanwise.tracer.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.tracer.SpanContext;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.TraceState;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final SpanContext ROOT = SpanContext.invalid();

  private static SamplingDecision decide(Sampler s, SpanContext parent, long low) {
    return s.shouldSample(parent, 1L, low, "op", SpanKind.INTERNAL);
  }

  @Test
  void constantSamplers() {
    assertThat(decide(Sampler.alwaysOn(), ROOT, 1)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(Sampler.alwaysOff(), ROOT, 1)).isEqualTo(SamplingDecision.DROP);
  }

  @Test
  void traceIdRatioIsDeterministicAndProportional() {
    Sampler half = Sampler.traceIdRatio(0.25);
    SplittableRandom random = new SplittableRandom(42);
    int sampled = 0;
    for (int i = 0; i < 100_000; i++) {
      long low = random.nextLong();
      SamplingDecision d = decide(half, ROOT, low);
      assertThat(decide(half, ROOT, low)).isEqualTo(d);
      if (d == SamplingDecision.RECORD_AND_SAMPLE) {
        sampled++;
      }
    }
    assertThat(sampled).isBetween(24_000, 26_000);
    assertThat(decide(Sampler.traceIdRatio(0.0), ROOT, 0)).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(Sampler.traceIdRatio(1.0), ROOT, Long.MIN_VALUE)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThatThrownBy(() -> Sampler.traceIdRatio(1.5)).hasMessageContaining("ratio");
  }

  @Test
  void parentBasedFollowsTheParent() {
    Sampler s = Sampler.parentBased(Sampler.alwaysOff());
    SpanContext remoteSampled = SpanContext.createFromRemoteParent(1, 2, 3, (byte) 1, TraceState.empty());
    SpanContext remoteUnsampled = SpanContext.createFromRemoteParent(1, 2, 3, (byte) 0, TraceState.empty());
    SpanContext localSampled = SpanContext.create(1, 2, 3, (byte) 1, TraceState.empty());
    SpanContext localUnsampled = SpanContext.create(1, 2, 3, (byte) 0, TraceState.empty());
    assertThat(decide(s, ROOT, 1)).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(s, remoteSampled, 1)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(s, remoteUnsampled, 1)).isEqualTo(SamplingDecision.DROP);
    assertThat(decide(s, localSampled, 1)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(decide(s, localUnsampled, 1)).isEqualTo(SamplingDecision.DROP);
    Sampler custom = ParentBasedSampler.builder(Sampler.alwaysOn())
        .remoteParentNotSampled(Sampler.alwaysOn()).build();
    assertThat(decide(custom, remoteUnsampled, 1)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(custom.description()).startsWith("ParentBased{root=AlwaysOnSampler");
  }

  @Test
  void rateLimitingSpendsCreditsAndRefills() {
    RateLimitingSampler s = new RateLimitingSampler(2.0);
    long t = System.nanoTime();
    assertThat(s.trySpend(t)).isTrue();
    assertThat(s.trySpend(t)).isTrue();
    assertThat(s.trySpend(t)).isFalse();
    assertThat(s.trySpend(t + 500_000_000L)).isTrue(); // half a second gives one credit
    assertThat(s.trySpend(t + 500_000_000L)).isFalse();
    assertThat(s.trySpend(t + 10_000_000_000L)).isTrue(); // capped at 2 credits
    assertThat(s.trySpend(t + 10_000_000_000L)).isTrue();
    assertThat(s.trySpend(t + 10_000_000_000L)).isFalse();
  }

  @Test
  void lowerBoundedRatioSamplerAddsTracesOnlyWhereTheProbabilityFallsShort() {
    LowerBoundedRatioSampler s = new LowerBoundedRatioSampler(0.0, 1.0 / 60);
    long t = System.nanoTime();
    assertThat(s.decide(false, t)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE); // the credit
    assertThat(s.decide(false, t)).isEqualTo(SamplingDecision.DROP);
    assertThat(s.decide(false, t + 30_000_000_000L)).isEqualTo(SamplingDecision.DROP);
    assertThat(s.decide(false, t + 60_000_000_000L)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    // a trace the probability samples spends the credit too, so the bound adds nothing on top
    assertThat(s.decide(true, t + 120_000_000_000L)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    assertThat(s.decide(false, t + 120_000_000_000L)).isEqualTo(SamplingDecision.DROP);
    // no bound: only the probability decides
    LowerBoundedRatioSampler unbounded = new LowerBoundedRatioSampler(0.0, 0.0);
    assertThat(unbounded.decide(false, t)).isEqualTo(SamplingDecision.DROP);
  }
}
