package dev.spanwise.analysis;

import static dev.spanwise.analysis.Spans.MS;
import static dev.spanwise.analysis.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spanwise.analysis.TraceStatistics.Row;
import dev.spanwise.model.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceStatisticsTest {
  @Test
  void rowPerServiceAndOperation() {
    Span root = span(1).time(0, 100).service("front").name("GET /").build();
    Span q1 = span(2).parent(1).time(10, 30).service("db").name("query").build();
    Span q2 = span(3).parent(1).time(40, 90).service("db").name("query").build();
    Span q3 = span(4).parent(1).time(45, 55).service("db").name("query").build();
    TraceStatistics stats = TraceStatistics.of(TraceTree.of(List.of(root, q1, q2, q3)));

    assertThat(stats.rows()).extracting(Row::serviceName, Row::operationName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("db", "query"),
            org.assertj.core.groups.Tuple.tuple("front", "GET /"));
    Row query = stats.row("db", "query");
    assertThat(query.count()).isEqualTo(3);
    assertThat(query.totalDurationNanos()).isEqualTo(80 * MS);
    assertThat(query.selfTimeNanos()).isEqualTo(80 * MS);
    // q2 and q1 are on the path; q3 runs in parallel with q2
    assertThat(query.criticalPathNanos()).isEqualTo(70 * MS);
    assertThat(query.minDurationNanos()).isEqualTo(10 * MS);
    assertThat(query.maxDurationNanos()).isEqualTo(50 * MS);
    assertThat(query.averageDurationNanos()).isEqualTo(80 * MS / 3);

    Row front = stats.row("front", "GET /");
    assertThat(front.count()).isEqualTo(1);
    assertThat(front.selfTimeNanos()).isEqualTo(30 * MS);
    assertThat(front.criticalPathNanos()).isEqualTo(30 * MS);
    assertThat(stats.row("front", "nope")).isNull();
  }
}
