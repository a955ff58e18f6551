package dev.spanwise.analysis;

import dev.spanwise.analysis.TraceTree.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The statistics table of a trace: one row per (service, operation) with the span count, total
 * duration, self time, critical-path time and min/avg/max duration. Rows are ordered by service,
 * then operation.
 */
public final class TraceStatistics {
  /** The figures of one (service, operation). */
  public static final class Row {
    private final String serviceName;
    private final String operationName;
    private int count;
    private long totalDurationNanos;
    private long selfTimeNanos;
    private long criticalPathNanos;
    private long minDurationNanos = Long.MAX_VALUE;
    private long maxDurationNanos;

    Row(String serviceName, String operationName) {
      this.serviceName = serviceName;
      this.operationName = operationName;
    }

    public String serviceName() {
      return serviceName;
    }

    /** The span name. */
    public String operationName() {
      return operationName;
    }

    /** Number of spans. */
    public int count() {
      return count;
    }

    /** Sum of the spans' durations. */
    public long totalDurationNanos() {
      return totalDurationNanos;
    }

    /** Sum of the spans' {@linkplain SelfTime self times}. */
    public long selfTimeNanos() {
      return selfTimeNanos;
    }

    /** Sum of the spans' time on the {@linkplain CriticalPath critical path}. */
    public long criticalPathNanos() {
      return criticalPathNanos;
    }

    public long minDurationNanos() {
      return minDurationNanos;
    }

    /** Total divided by count, rounded down. */
    public long averageDurationNanos() {
      return count == 0 ? 0 : totalDurationNanos / count;
    }

    public long maxDurationNanos() {
      return maxDurationNanos;
    }

    @Override
    public String toString() {
      return "Row{" + serviceName + " " + operationName + " count=" + count + " total="
          + totalDurationNanos + " self=" + selfTimeNanos + " critical=" + criticalPathNanos
          + " min=" + minDurationNanos + " avg=" + averageDurationNanos() + " max="
          + maxDurationNanos + "}";
    }
  }

  private final List<Row> rows;

  private TraceStatistics(List<Row> rows) {
    this.rows = rows;
  }

  /** Computes self time and critical path, then the table. */
  public static TraceStatistics of(TraceTree tree) {
    return of(tree, SelfTime.of(tree), CriticalPath.of(tree));
  }

  /** The table from analyses already made on {@code tree}. */
  public static TraceStatistics of(TraceTree tree, SelfTime selfTime, CriticalPath criticalPath) {
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(selfTime, "selfTime");
    Objects.requireNonNull(criticalPath, "criticalPath");
    Map<String, Map<String, Row>> byService = new TreeMap<>();
    for (Node node : tree.nodes()) {
      String service = node.span().serviceName();
      String operation = node.span().name();
      Row row = byService.computeIfAbsent(service, s -> new TreeMap<>())
          .computeIfAbsent(operation, o -> new Row(service, o));
      long duration = node.span().durationNanos();
      row.count++;
      row.totalDurationNanos += duration;
      row.selfTimeNanos += selfTime.nanos(node);
      row.criticalPathNanos += criticalPath.criticalPathNanos(node);
      row.minDurationNanos = Math.min(row.minDurationNanos, duration);
      row.maxDurationNanos = Math.max(row.maxDurationNanos, duration);
    }
    List<Row> rows = new ArrayList<>();
    for (Map<String, Row> operations : byService.values()) rows.addAll(operations.values());
    return new TraceStatistics(Collections.unmodifiableList(rows));
  }

  public List<Row> rows() {
    return rows;
  }

  /** The row of a (service, operation), or null. */
  public Row row(String serviceName, String operationName) {
    for (Row row : rows) {
      if (row.serviceName.equals(serviceName) && row.operationName.equals(operationName)) {
        return row;
      }
    }
    return null;
  }
}
