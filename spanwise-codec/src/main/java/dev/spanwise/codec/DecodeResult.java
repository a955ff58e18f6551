package dev.spanwise.codec;

import dev.spanwise.model.Span;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a lenient decoder accepted from one request: the spans it could take, how many it rejected
 * and why (the first problem, naming the field), so that a receiver can answer OTLP's
 * {@code partial_success}.
 */
public final class DecodeResult {
  private final List<Span> spans;
  private final int rejectedSpans;
  private final String errorMessage;

  private DecodeResult(List<Span> spans, int rejectedSpans, String errorMessage) {
    this.spans = spans;
    this.rejectedSpans = rejectedSpans;
    this.errorMessage = errorMessage;
  }

  /**
   * @param spans the accepted spans
   * @param rejectedSpans how many spans were rejected, zero or more
   * @param errorMessage the first problem found; empty when nothing was rejected
   */
  public static DecodeResult of(List<Span> spans, int rejectedSpans, String errorMessage) {
    Objects.requireNonNull(spans, "spans");
    if (rejectedSpans < 0) throw new IllegalArgumentException("rejectedSpans must be >= 0");
    return new DecodeResult(
        Collections.unmodifiableList(spans), rejectedSpans, errorMessage == null ? "" : errorMessage);
  }

  /** The accepted spans, in request order. */
  public List<Span> spans() {
    return spans;
  }

  /** How many spans were rejected. */
  public int rejectedSpans() {
    return rejectedSpans;
  }

  /** The first problem, naming the field ({@code resourceSpans[0]...traceId: ...}); "" if none. */
  public String errorMessage() {
    return errorMessage;
  }

  public boolean hasRejections() {
    return rejectedSpans > 0;
  }

  @Override
  public String toString() {
    return "DecodeResult{" + spans.size() + " spans"
        + (rejectedSpans > 0 ? ", " + rejectedSpans + " rejected: " + errorMessage : "") + "}";
  }
}
