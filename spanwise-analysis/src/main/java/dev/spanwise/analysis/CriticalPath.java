package dev.spanwise.analysis;

import dev.spanwise.analysis.TraceTree.Node;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chain of work that determines a trace's end-to-end duration.
 *
 * <p>The walk starts at a root with the whole of its interval. From the current end it takes the
 * last-finishing child, gives the gap between that child's end and the current end to the parent,
 * walks the child's own interval the same way, then continues from the child's start with the
 * children that finish before it (a child still running when the chosen one starts is not on the
 * path). What is left before the first chosen child belongs to the parent. So the segments of a
 * root tile its interval exactly, and each instant of it is attributed to one span.
 *
 * <ul>
 *   <li>A child that overruns its parent is clipped to the parent's interval; a child entirely
 *       outside it is dropped with its subtree.
 *   <li>An {@linkplain Node#isAsynchronous() asynchronous} child (under a {@code PRODUCER}, or
 *       attached by a {@code FOLLOWS_FROM} link) does not block its parent and is never on the
 *       parent's path.
 *   <li>With several roots (orphans), each root has its own path.
 * </ul>
 *
 * <p>Iterative: deep traces do not exhaust the stack.
 */
public final class CriticalPath {
  /** A span's exclusive share of the critical path: {@code [start, end)} in epoch nanoseconds. */
  public static final class Segment {
    private final Node node;
    private final long startEpochNanos;
    private final long endEpochNanos;

    Segment(Node node, long startEpochNanos, long endEpochNanos) {
      this.node = node;
      this.startEpochNanos = startEpochNanos;
      this.endEpochNanos = endEpochNanos;
    }

    public Node node() {
      return node;
    }

    public Span span() {
      return node.span();
    }

    public long spanId() {
      return node.span().spanId();
    }

    public long startEpochNanos() {
      return startEpochNanos;
    }

    public long endEpochNanos() {
      return endEpochNanos;
    }

    public long durationNanos() {
      return endEpochNanos - startEpochNanos;
    }

    @Override
    public String toString() {
      return "Segment{" + SpanId.toHex(spanId()) + " " + startEpochNanos + ".." + endEpochNanos
          + "}";
    }
  }

  /** The critical path under one root: segments in time order, tiling the root's interval. */
  public static final class Path {
    private final Node root;
    private final List<Segment> segments;

    Path(Node root, List<Segment> segments) {
      this.root = root;
      this.segments = segments;
    }

    public Node root() {
      return root;
    }

    public List<Segment> segments() {
      return segments;
    }

    /** The sum of the segments: the root's duration. */
    public long durationNanos() {
      long total = 0;
      for (Segment s : segments) total += s.durationNanos();
      return total;
    }
  }

  private final List<Path> paths;
  private final List<Segment> segments;
  private final Map<Node, Long> nanosByNode;

  private CriticalPath(List<Path> paths, List<Segment> segments, Map<Node, Long> nanosByNode) {
    this.paths = paths;
    this.segments = segments;
    this.nanosByNode = nanosByNode;
  }

  /** The critical path of each root of the tree. */
  public static CriticalPath of(TraceTree tree) {
    Objects.requireNonNull(tree, "tree");
    List<Path> paths = new ArrayList<>(tree.roots().size());
    List<Segment> all = new ArrayList<>();
    Map<Node, Long> nanos = new IdentityHashMap<>();
    for (Node root : tree.roots()) {
      List<Segment> segments = walk(root);
      paths.add(new Path(root, segments));
      all.addAll(segments);
      for (Segment s : segments) nanos.merge(s.node, s.durationNanos(), Long::sum);
    }
    return new CriticalPath(
        Collections.unmodifiableList(paths), Collections.unmodifiableList(all), nanos);
  }

  private static List<Segment> walk(Node root) {
    List<Segment> reversed = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    Span span = root.span();
    stack.push(new Frame(root, span.startEpochNanos(), span.endEpochNanos()));
    while (!stack.isEmpty()) {
      Frame frame = stack.peek();
      Frame child = frame.nextChildEndingBy(frame.currentEnd);
      if (child != null) {
        if (child.end < frame.currentEnd) {
          reversed.add(new Segment(frame.node, child.end, frame.currentEnd));
        }
        frame.currentEnd = child.start;
        stack.push(child);
      } else {
        if (frame.start < frame.currentEnd) {
          reversed.add(new Segment(frame.node, frame.start, frame.currentEnd));
        }
        stack.pop();
      }
    }
    Collections.reverse(reversed);
    return Collections.unmodifiableList(reversed);
  }

  /** A node on the walk with its interval clipped to its parent's. */
  private static final class Frame {
    final Node node;
    final long start;
    final long end;
    long currentEnd;
    private List<Frame> candidates;
    private int next;

    Frame(Node node, long start, long end) {
      this.node = node;
      this.start = start;
      this.end = end;
      this.currentEnd = end;
    }

    /** The next candidate (latest end first) that ends by {@code limit}, or null. */
    Frame nextChildEndingBy(long limit) {
      if (candidates == null) candidates = candidates();
      while (next < candidates.size()) {
        Frame c = candidates.get(next++);
        if (c.end <= limit) return c;
      }
      return null;
    }

    private List<Frame> candidates() {
      List<Frame> result = new ArrayList<>(node.children().size());
      for (Node child : node.children()) {
        if (child.isAsynchronous()) continue;
        long childStart = child.span().startEpochNanos();
        long childEnd = child.span().endEpochNanos();
        if (childEnd < start || childStart > end) continue; // detached: dropped with its subtree
        result.add(new Frame(child, Math.max(childStart, start), Math.min(childEnd, end)));
      }
      // Latest end first; of children ending together, the longest (it started first).
      result.sort((a, b) -> a.end != b.end ? Long.compare(b.end, a.end)
          : Long.compare(a.start, b.start));
      return result;
    }
  }

  /** One path per root, in the order of {@link TraceTree#roots()}. */
  public List<Path> paths() {
    return paths;
  }

  /** All segments, root by root, each root's in time order. */
  public List<Segment> segments() {
    return segments;
  }

  /** The time this span holds on the critical path (the sum of its segments); 0 when off it. */
  public long criticalPathNanos(Node node) {
    Long nanos = nanosByNode.get(node);
    return nanos == null ? 0 : nanos;
  }

  /** True when the span has at least one segment. */
  public boolean isOnCriticalPath(Node node) {
    return nanosByNode.containsKey(node);
  }
}
