package dev.spanwise.sampling.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spanwise.model.Attributes;
import dev.spanwise.model.Resource;
import dev.spanwise.model.Span;
import dev.spanwise.model.TraceId;
import org.junit.jupiter.api.Test;

class RootSpanWeightsTest {
  static Span root(Attributes attributes, String traceState) {
    return Span.builder()
        .resource(Resource.ofServiceName("s"))
        .traceId(TraceId.of(1, 2))
        .spanId(3)
        .name("op")
        .attributes(attributes)
        .traceState(traceState)
        .build();
  }

  @Test
  void jaegerSamplerTags() {
    assertThat(RootSpanWeights.weight(root(Attributes.builder()
        .put("sampler.type", "probabilistic").put("sampler.param", 0.01).build(), ""), 0.5))
        .isCloseTo(100, within(1e-9));
    assertThat(RootSpanWeights.weight(root(Attributes.builder()
        .put("sampler.type", "probabilistic").put("sampler.param", "0.25").build(), ""), 0.5))
        .isEqualTo(4);
    assertThat(RootSpanWeights.weight(root(Attributes.builder()
        .put("sampler.type", "lowerbound").put("sampler.param", 0.001).build(), ""), 0.5))
        .isEqualTo(1);
    assertThat(RootSpanWeights.weight(root(Attributes.builder()
        .put("sampler.type", "const").put("sampler.param", true).build(), ""), 0.5))
        .isEqualTo(1);
  }

  @Test
  void otelThresholdAndProbabilityAttribute() {
    assertThat(RootSpanWeights.weight(root(Attributes.EMPTY, "ot=th:8"), 0.5)).isEqualTo(2);
    assertThat(RootSpanWeights.weight(root(Attributes.EMPTY, "vendor=x,ot=rv:1;th:c"), 0.5))
        .isEqualTo(4);
    assertThat(RootSpanWeights.weight(
        root(Attributes.builder().put("sampling.probability", 0.1).build(), ""), 0.5))
        .isCloseTo(10, within(1e-9));
  }

  @Test
  void withoutAnyHintTheServedProbabilityIsAssumed() {
    assertThat(RootSpanWeights.weight(root(Attributes.EMPTY, ""), 0.002)).isEqualTo(500);
    assertThat(RootSpanWeights.weight(root(Attributes.EMPTY, "ot=th:zz"), 0.5)).isEqualTo(2);
  }
}
