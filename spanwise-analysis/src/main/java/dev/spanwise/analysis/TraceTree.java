package dev.spanwise.analysis;

import dev.spanwise.model.Span;
import dev.spanwise.model.SpanId;
import dev.spanwise.model.SpanKind;
import dev.spanwise.model.SpanLink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The span tree of one trace: each span under its parent (by parent span id), children ordered by
 * start time.
 *
 * <ul>
 *   <li>A span whose parent is not in the trace becomes a root and is flagged {@linkplain
 *       Node#isOrphan() orphan}; so does a span whose parent chain loops back to itself (the loop is
 *       cut at its earliest span).
 *   <li>Zipkin shared spans: a {@code SERVER} span with the span id of a {@code CLIENT} span in the
 *       trace is placed under that client span, and spans naming that id as their parent go under
 *       the server side (the one that did the work).
 *   <li>A span without a parent but with a link to a span of the same trace (Jaeger's {@code
 *       FOLLOWS_FROM} as the only reference) goes under the linked span as an {@linkplain
 *       Node#isAsynchronous() asynchronous} child.
 * </ul>
 *
 * <p>Never throws on odd input; building is iterative, so deep traces do not exhaust the stack.
 * Nodes have identity (no {@code equals} override), so per-span results of the other analyses are
 * keyed by {@link Node}.
 */
public final class TraceTree {
  /** One span in the tree. */
  public static final class Node {
    private final Span span;
    private final int index;
    private Node parent;
    private List<Node> children = new ArrayList<>(2);
    private boolean orphan;
    private boolean sharedServer;
    private boolean followsFrom;
    private int depth;

    Node(Span span, int index) {
      this.span = span;
      this.index = index;
    }

    public Span span() {
      return span;
    }

    /** The parent node, or null for a root. */
    public Node parent() {
      return parent;
    }

    /** Children ordered by start time (then end time, then input order). */
    public List<Node> children() {
      return children;
    }

    public boolean isRoot() {
      return parent == null;
    }

    /** A root that names a parent span which is not in the trace (or whose parent chain loops). */
    public boolean isOrphan() {
      return orphan;
    }

    /** The server side of a Zipkin shared span, placed under the client side with its span id. */
    public boolean isSharedServer() {
      return sharedServer;
    }

    /**
     * True when the parent does not wait for this span: the parent is a {@code PRODUCER}
     * (producer to consumer), or this span was attached by a {@code FOLLOWS_FROM}-style link or
     * names its parent in a link as well.
     */
    public boolean isAsynchronous() {
      if (parent == null) return false;
      if (followsFrom || parent.span.kind() == SpanKind.PRODUCER) return true;
      for (SpanLink link : span.links()) {
        if (link.spanId() == span.parentSpanId() && link.traceId().equals(span.traceId())) {
          return true;
        }
      }
      return false;
    }

    /** 0 for a root. */
    public int depth() {
      return depth;
    }

    /** Position of the span in the list the tree was built from. */
    public int inputIndex() {
      return index;
    }

    @Override
    public String toString() {
      return "Node{" + SpanId.toHex(span.spanId()) + " " + span.name() + "}";
    }
  }

  private static final Comparator<Node> BY_START = Comparator
      .comparingLong((Node n) -> n.span.startEpochNanos())
      .thenComparingLong(n -> n.span.endEpochNanos())
      .thenComparingInt(n -> n.index);

  private final List<Node> roots;
  private final List<Node> nodes;
  private final Map<Span, Node> bySpan;

  private TraceTree(List<Node> roots, List<Node> nodes, Map<Span, Node> bySpan) {
    this.roots = roots;
    this.nodes = nodes;
    this.bySpan = bySpan;
  }

  /** Builds the tree of one trace's spans (normally all of the same trace id). */
  public static TraceTree of(Collection<Span> spans) {
    Objects.requireNonNull(spans, "spans");
    List<Node> all = new ArrayList<>(spans.size());
    Map<Span, Node> bySpan = new IdentityHashMap<>(spans.size() * 2);
    Map<Long, List<Node>> byId = new HashMap<>(spans.size() * 2);
    for (Span span : spans) {
      Node node = new Node(Objects.requireNonNull(span, "span"), all.size());
      all.add(node);
      bySpan.put(span, node);
      byId.computeIfAbsent(span.spanId(), id -> new ArrayList<>(1)).add(node);
    }

    for (Node node : all) {
      Span span = node.span;
      Node client = span.kind() == SpanKind.SERVER
          ? firstOfKind(byId.get(span.spanId()), SpanKind.CLIENT)
          : null;
      if (client != null) {
        node.parent = client;
        node.sharedServer = true;
      } else if (!span.isRoot()) {
        Node parent = owner(byId.get(span.parentSpanId()));
        if (parent == null || parent == node || parent.span.spanId() == span.spanId()) {
          node.orphan = true;
        } else {
          node.parent = parent;
        }
      } else {
        Node linked = linkedInTrace(node, byId);
        if (linked != null) {
          node.parent = linked;
          node.followsFrom = true;
        }
      }
      if (node.parent != null) node.parent.children.add(node);
    }

    List<Node> roots = new ArrayList<>();
    for (Node node : all) if (node.parent == null) roots.add(node);
    // Cut parent loops: every node not reachable from a root sits on or under a loop.
    IdentityHashMap<Node, Boolean> reached = new IdentityHashMap<>(all.size() * 2);
    for (Node root : roots) markReachable(root, reached);
    if (reached.size() < all.size()) {
      List<Node> unreached = new ArrayList<>();
      for (Node node : all) if (!reached.containsKey(node)) unreached.add(node);
      unreached.sort(BY_START);
      for (Node node : unreached) {
        if (reached.containsKey(node)) continue;
        node.parent.children.remove(node);
        node.parent = null;
        node.orphan = true;
        node.followsFrom = false;
        node.sharedServer = false;
        roots.add(node);
        markReachable(node, reached);
      }
    }

    roots.sort(BY_START);
    List<Node> preOrder = new ArrayList<>(all.size());
    Deque<Node> stack = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) stack.push(roots.get(i));
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      node.depth = node.parent == null ? 0 : node.parent.depth + 1;
      preOrder.add(node);
      List<Node> children = node.children;
      children.sort(BY_START);
      node.children = Collections.unmodifiableList(children);
      for (int i = children.size() - 1; i >= 0; i--) stack.push(children.get(i));
    }
    return new TraceTree(
        Collections.unmodifiableList(roots), Collections.unmodifiableList(preOrder), bySpan);
  }

  /** The node children with this parent id belong to: the server side of a shared span. */
  private static Node owner(List<Node> sameId) {
    if (sameId == null) return null;
    if (sameId.size() > 1 && firstOfKind(sameId, SpanKind.CLIENT) != null) {
      Node server = firstOfKind(sameId, SpanKind.SERVER);
      if (server != null) return server;
    }
    return sameId.get(0);
  }

  private static Node firstOfKind(List<Node> nodes, SpanKind kind) {
    if (nodes == null) return null;
    for (Node n : nodes) if (n.span.kind() == kind) return n;
    return null;
  }

  private static Node linkedInTrace(Node node, Map<Long, List<Node>> byId) {
    for (SpanLink link : node.span.links()) {
      if (!link.traceId().equals(node.span.traceId())) continue;
      if (link.spanId() == node.span.spanId()) continue;
      Node target = owner(byId.get(link.spanId()));
      if (target != null) return target;
    }
    return null;
  }

  private static void markReachable(Node root, IdentityHashMap<Node, Boolean> reached) {
    Deque<Node> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Node node = stack.pop();
      if (reached.put(node, Boolean.TRUE) != null) continue;
      for (Node child : node.children) stack.push(child);
    }
  }

  /** Roots ordered by start: the trace's root span, then orphans (or several roots). */
  public List<Node> roots() {
    return roots;
  }

  /** Every node, depth-first (a parent before its children, children by start). */
  public List<Node> nodes() {
    return nodes;
  }

  /** Roots that name a parent not in the trace. */
  public List<Node> orphans() {
    List<Node> orphans = new ArrayList<>();
    for (Node root : roots) if (root.orphan) orphans.add(root);
    return orphans;
  }

  /** The node of this span instance (the same object the tree was built from), or null. */
  public Node node(Span span) {
    return bySpan.get(span);
  }

  public int size() {
    return nodes.size();
  }

  public boolean isEmpty() {
    return nodes.isEmpty();
  }
}
