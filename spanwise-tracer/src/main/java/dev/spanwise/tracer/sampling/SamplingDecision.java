package dev.spanwise.tracer.sampling;

/** What a sampler decides for a new span. */
public enum SamplingDecision {
  /** Not recorded, not exported; the context still propagates (unsampled). */
  DROP,
  /** Recorded in process but not exported, not marked sampled. */
  RECORD_ONLY,
  /** Recorded, exported and marked sampled. */
  RECORD_AND_SAMPLE
}
