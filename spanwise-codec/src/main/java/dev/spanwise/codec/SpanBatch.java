package dev.spanwise.codec;

import dev.spanwise.model.Span;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A tenant's batch of spans, as the write-ahead log holds it. */
public final class SpanBatch {
  private final String tenant;
  private final List<Span> spans;

  private SpanBatch(String tenant, List<Span> spans) {
    this.tenant = tenant;
    this.spans = spans;
  }

  public static SpanBatch of(String tenant, List<Span> spans) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(spans, "spans");
    return new SpanBatch(tenant, Collections.unmodifiableList(spans));
  }

  public String tenant() {
    return tenant;
  }

  public List<Span> spans() {
    return spans;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpanBatch
        && ((SpanBatch) o).tenant.equals(tenant) && ((SpanBatch) o).spans.equals(spans);
  }

  @Override
  public int hashCode() {
    return tenant.hashCode() * 31 + spans.hashCode();
  }

  @Override
  public String toString() {
    return "SpanBatch{" + tenant + ", " + spans.size() + " spans}";
  }
}
