package dev.spanwise.analysis;

import dev.spanwise.model.Span;
import java.util.List;
import java.util.Objects;

/**
 * Everything the trace view needs at once: the optional clock-skew correction, then the tree, self
 * times, critical path and statistics of the (corrected) spans.
 *
 * <pre>{@code
 * TraceAnalysis a = TraceAnalysis.of(spans, ClockSkewAdjuster.create());
 * for (CriticalPath.Segment s : a.criticalPath().segments()) ...
 * long self = a.selfTime().nanos(a.tree().nodes().get(0));
 * }</pre>
 */
public final class TraceAnalysis {
  private final ClockSkewAdjuster.Result clockSkew;
  private final TraceTree tree;
  private final SelfTime selfTime;
  private final CriticalPath criticalPath;
  private final TraceStatistics statistics;

  private TraceAnalysis(ClockSkewAdjuster.Result clockSkew, TraceTree tree) {
    this.clockSkew = clockSkew;
    this.tree = tree;
    this.selfTime = SelfTime.of(tree);
    this.criticalPath = CriticalPath.of(tree);
    this.statistics = TraceStatistics.of(tree, selfTime, criticalPath);
  }

  /** Analyses the spans as they are. */
  public static TraceAnalysis of(List<Span> spans) {
    Objects.requireNonNull(spans, "spans");
    return new TraceAnalysis(null, TraceTree.of(spans));
  }

  /** Corrects clock skew with {@code adjuster}, then analyses the corrected spans. */
  public static TraceAnalysis of(List<Span> spans, ClockSkewAdjuster adjuster) {
    Objects.requireNonNull(spans, "spans");
    Objects.requireNonNull(adjuster, "adjuster");
    ClockSkewAdjuster.Result result = adjuster.adjust(spans);
    return new TraceAnalysis(result, TraceTree.of(result.spans()));
  }

  /** The clock-skew result, or null when no adjuster was given. */
  public ClockSkewAdjuster.Result clockSkew() {
    return clockSkew;
  }

  /** The spans analysed (corrected when an adjuster was given). */
  public List<Span> spans() {
    return clockSkew != null ? clockSkew.spans() : spansOfTree();
  }

  private List<Span> spansOfTree() {
    Span[] spans = new Span[tree.size()];
    for (TraceTree.Node node : tree.nodes()) spans[node.inputIndex()] = node.span();
    return List.of(spans);
  }

  public TraceTree tree() {
    return tree;
  }

  public SelfTime selfTime() {
    return selfTime;
  }

  public CriticalPath criticalPath() {
    return criticalPath;
  }

  public TraceStatistics statistics() {
    return statistics;
  }
}
