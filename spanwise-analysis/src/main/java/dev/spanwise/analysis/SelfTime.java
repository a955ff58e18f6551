package dev.spanwise.analysis;

import dev.spanwise.analysis.TraceTree.Node;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per span, the time spent in the span itself: its duration minus the union of its children's
 * intervals, each clipped to the span. Overlapping (parallel) children are counted once; children
 * outside the span take nothing from it.
 */
public final class SelfTime {
  private final Map<Node, Long> nanosByNode;

  private SelfTime(Map<Node, Long> nanosByNode) {
    this.nanosByNode = nanosByNode;
  }

  /** The self time of every span of the tree. */
  public static SelfTime of(TraceTree tree) {
    Objects.requireNonNull(tree, "tree");
    Map<Node, Long> nanos = new IdentityHashMap<>(tree.size() * 2);
    for (Node node : tree.nodes()) nanos.put(node, selfTimeNanos(node));
    return new SelfTime(nanos);
  }

  /** The self time of one node (computed from its direct children). */
  public static long selfTimeNanos(Node node) {
    long start = node.span().startEpochNanos();
    long end = node.span().endEpochNanos();
    long covered = 0;
    long coveredTo = start;
    List<Node> children = node.children(); // ordered by start
    for (Node child : children) {
      long childStart = Math.max(child.span().startEpochNanos(), coveredTo);
      long childEnd = Math.min(child.span().endEpochNanos(), end);
      if (childEnd > childStart) {
        covered += childEnd - childStart;
        coveredTo = childEnd;
      }
    }
    return Math.max(0, end - start - covered);
  }

  /** The self time of a span of the tree; 0 for a node not in it. */
  public long nanos(Node node) {
    Long nanos = nanosByNode.get(node);
    return nanos == null ? 0 : nanos;
  }
}
