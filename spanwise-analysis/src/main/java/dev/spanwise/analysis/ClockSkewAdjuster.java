package dev.spanwise.analysis;

import dev.spanwise.analysis.TraceTree.Node;
import dev.spanwise.analysis.internal.GoDurations;
import dev.spanwise.model.AttributeType;
import dev.spanwise.model.AttributeValue;
import dev.spanwise.model.Attributes;
import dev.spanwise.model.Span;
import dev.spanwise.model.SpanEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Read-time clock-skew correction, as Jaeger's clock-skew adjuster does it.
 *
 * <p>Walking the {@link TraceTree} from each root: a span whose host differs from its parent's
 * (see {@link #hostKey}) gets its own shift, computed against the parent as already adjusted; a
 * span on the same host as its parent takes the parent's shift, so a host's subtree moves
 * together. The shift of a span against its parent is
 *
 * <ul>
 *   <li>zero when the span fits inside the parent (it may well be right);
 *   <li>when the span is shorter than the parent: half the unaccounted latency on each side, {@code
 *       parent.start + (parent.duration - span.duration) / 2 - span.start};
 *   <li>when the span is longer than the parent and starts before it: aligning the starts; a longer
 *       span that starts inside the parent is left alone.
 * </ul>
 *
 * <p>The shift moves start, end and event times. Each shifted span gets a warning ({@code clock
 * skew adjusted by -1.234ms}); a shift beyond the {@linkplain #withMaxAdjustment maximum} is not
 * applied and is reported instead. Roots (including orphans) are never shifted. Never throws on
 * odd input.
 */
public final class ClockSkewAdjuster {
  static final String HOST_ID = "host.id";
  static final String HOST_NAME = "host.name";
  static final String HOST_IP = "host.ip";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";

  private final long maxAdjustmentNanos;

  private ClockSkewAdjuster(long maxAdjustmentNanos) {
    this.maxAdjustmentNanos = maxAdjustmentNanos;
  }

  /** An adjuster without a limit on the shift. */
  public static ClockSkewAdjuster create() {
    return new ClockSkewAdjuster(Long.MAX_VALUE);
  }

  /**
   * An adjuster that refuses (and reports) shifts larger than {@code maxAdjustment}.
   *
   * @throws IllegalArgumentException naming {@code maxAdjustment} when it is negative
   */
  public static ClockSkewAdjuster withMaxAdjustment(Duration maxAdjustment) {
    Objects.requireNonNull(maxAdjustment, "maxAdjustment");
    if (maxAdjustment.isNegative()) {
      throw new IllegalArgumentException("maxAdjustment must not be negative: " + maxAdjustment);
    }
    long nanos;
    try {
      nanos = maxAdjustment.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    return new ClockSkewAdjuster(nanos);
  }

  /** What one span's correction was. */
  public static final class Adjustment {
    private final Span original;
    private final Span adjusted;
    private final long deltaNanos;
    private final String warning;

    Adjustment(Span original, Span adjusted, long deltaNanos, String warning) {
      this.original = original;
      this.adjusted = adjusted;
      this.deltaNanos = deltaNanos;
      this.warning = warning;
    }

    /** The span as read. */
    public Span original() {
      return original;
    }

    /** The span as returned in {@link Result#spans()} (the original when the shift was refused). */
    public Span adjusted() {
      return adjusted;
    }

    /** The shift applied, in nanoseconds (positive moves later); 0 when refused. */
    public long deltaNanos() {
      return deltaNanos;
    }

    /** Text for the span's warnings, e.g. {@code clock skew adjusted by -1.234ms}. */
    public String warning() {
      return warning;
    }

    @Override
    public String toString() {
      return "Adjustment{" + adjusted + ": " + warning + "}";
    }
  }

  /** The adjusted trace and what was done. */
  public static final class Result {
    private final List<Span> spans;
    private final List<Adjustment> adjustments;

    Result(List<Span> spans, List<Adjustment> adjustments) {
      this.spans = spans;
      this.adjustments = adjustments;
    }

    /** The spans in the input order; unshifted spans are the same instances as the input. */
    public List<Span> spans() {
      return spans;
    }

    /** One entry per span that was shifted or whose shift was refused, in tree order. */
    public List<Adjustment> adjustments() {
      return adjustments;
    }

    /** The adjustment of a span of {@link #spans()} (by identity), or null. */
    public Adjustment adjustmentOf(Span span) {
      for (Adjustment a : adjustments) if (a.adjusted == span) return a;
      return null;
    }
  }

  /** Corrects one trace. */
  public Result adjust(List<Span> trace) {
    Objects.requireNonNull(trace, "trace");
    TraceTree tree = TraceTree.of(trace);
    Map<Node, Span> adjusted = new IdentityHashMap<>();
    List<Adjustment> adjustments = new ArrayList<>();

    record Step(Node node, String skewHost, long skewDelta) {}
    Deque<Step> stack = new ArrayDeque<>();
    for (int i = tree.roots().size() - 1; i >= 0; i--) {
      Node root = tree.roots().get(i);
      stack.push(new Step(root, hostKey(root.span()), 0));
    }
    while (!stack.isEmpty()) {
      Step step = stack.pop();
      Node node = step.node();
      Span span = node.span();
      String host = hostKey(span);
      String skewHost = step.skewHost();
      long delta = step.skewDelta();
      if (node.parent() != null && !host.equals(skewHost)) {
        Span parent = adjusted.getOrDefault(node.parent(), node.parent().span());
        skewHost = host;
        delta = skew(span, parent);
      }
      Span result = span;
      if (delta != 0) {
        if (Math.abs(delta) > maxAdjustmentNanos) {
          adjustments.add(new Adjustment(span, span, 0,
              "clock skew adjustment of " + GoDurations.format(delta) + " exceeds the maximum of "
                  + GoDurations.format(maxAdjustmentNanos) + "; not applied"));
          delta = 0;
        } else {
          result = shift(span, delta);
          adjusted.put(node, result);
          adjustments.add(new Adjustment(span, result, delta,
              "clock skew adjusted by " + GoDurations.format(delta)));
        }
      }
      List<Node> children = node.children();
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(new Step(children.get(i), skewHost, delta));
      }
    }

    if (adjusted.isEmpty()) {
      return new Result(Collections.unmodifiableList(new ArrayList<>(trace)),
          Collections.unmodifiableList(adjustments));
    }
    List<Span> spans = new ArrayList<>(trace.size());
    for (Node node : sortedByInput(tree)) spans.add(adjusted.getOrDefault(node, node.span()));
    return new Result(Collections.unmodifiableList(spans),
        Collections.unmodifiableList(adjustments));
  }

  private static Node[] sortedByInput(TraceTree tree) {
    Node[] byInput = new Node[tree.size()];
    for (Node node : tree.nodes()) byInput[node.inputIndex()] = node;
    return byInput;
  }

  /** The shift that fits {@code child} into {@code parent}; 0 when it fits or cannot be helped. */
  static long skew(Span child, Span parent) {
    long parentDuration = parent.durationNanos();
    long childDuration = child.durationNanos();
    if (childDuration > parentDuration) {
      // It cannot fit: align the starts when it starts early, otherwise leave it.
      return child.startEpochNanos() < parent.startEpochNanos()
          ? parent.startEpochNanos() - child.startEpochNanos()
          : 0;
    }
    if (child.startEpochNanos() >= parent.startEpochNanos()
        && child.endEpochNanos() <= parent.endEpochNanos()) {
      return 0;
    }
    long latency = (parentDuration - childDuration) / 2;
    return parent.startEpochNanos() + latency - child.startEpochNanos();
  }

  private static Span shift(Span span, long delta) {
    Span.Builder b = span.toBuilder()
        .startEpochNanos(span.startEpochNanos() + delta)
        .endEpochNanos(span.endEpochNanos() + delta);
    if (!span.events().isEmpty()) {
      List<SpanEvent> events = new ArrayList<>(span.events().size());
      for (SpanEvent e : span.events()) {
        events.add(SpanEvent.of(e.epochNanos() + delta, e.name(), e.attributes(),
            e.droppedAttributesCount()));
      }
      b.events(events);
    }
    return b.build();
  }

  /**
   * What identifies the clock a span was timed by: the resource's {@code host.id}, {@code
   * host.name} or {@code host.ip} (the first address of a list); failing those, {@code
   * service.name} with {@code service.instance.id}, or the service name alone.
   */
  public static String hostKey(Span span) {
    Attributes resource = span.resource().attributes();
    String host = nonEmpty(resource.getString(HOST_ID));
    if (host == null) host = nonEmpty(resource.getString(HOST_NAME));
    if (host == null) host = firstString(resource.get(HOST_IP));
    if (host != null) return "host:" + host;
    String instance = nonEmpty(resource.getString(SERVICE_INSTANCE_ID));
    return instance != null
        ? "service:" + span.serviceName() + "/" + instance
        : "service:" + span.serviceName();
  }

  private static String firstString(AttributeValue value) {
    if (value == null) return null;
    if (value.type() == AttributeType.STRING) return nonEmpty(value.stringValue());
    if (value.type() == AttributeType.ARRAY && !value.arrayValue().isEmpty()) {
      AttributeValue first = value.arrayValue().get(0);
      return first.type() == AttributeType.STRING ? nonEmpty(first.stringValue()) : null;
    }
    return null;
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
