package dev.spanwise.tracer.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SimpleSpanProcessor;
import dev.spanwise.tracer.export.SpanData;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracingDataSourceTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracer tracer = Tracer.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final List<String> executed = new ArrayList<>();

  @AfterEach
  void close() {
    tracer.close();
  }

  /** A fake driver connection: statements record what they execute; "BAD" SQL fails. */
  private Connection fakeConnection() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "createStatement":
              return fakeStatement(Statement.class, null);
            case "prepareStatement":
              return fakeStatement(PreparedStatement.class, (String) args[0]);
            case "close":
              return null;
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  private Object fakeStatement(Class<?> type, String prepared) {
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.startsWith("execute")) {
            String sql = args != null && args.length > 0 ? (String) args[0] : prepared;
            if (sql.contains("BAD")) {
              throw new SQLException("syntax error in " + sql);
            }
            executed.add(sql);
            return name.equals("executeUpdate") ? 1 : name.equals("execute") ? Boolean.TRUE : null;
          }
          if (name.equals("setString") || name.equals("close")) {
            return null;
          }
          throw new UnsupportedOperationException(name);
        });
  }

  @Test
  void statementsBecomeClientSpansUnderTheCurrentSpan() throws Exception {
    Connection connection = TracingDataSource.wrap(fakeConnection(), tracer, "h2", "shop");
    Span parent = tracer.startSpan("GET /product");
    try (Scope ignored = parent.makeCurrent()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS product (id INT)");
        statement.executeUpdate("INSERT INTO product VALUES (1)");
      }
      try (PreparedStatement ps = connection.prepareStatement("SELECT name FROM product WHERE id = ?")) {
        ps.setString(1, "1");
        ps.executeQuery();
      }
    }
    parent.end();
    assertThat(executed).hasSize(3);
    SpanData select = exporter.onlySpanNamed("SELECT product");
    assertThat(select.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(select.parentSpanIdHex()).isEqualTo(parent.context().spanIdHex());
    assertThat(select.attributes().get("db.system")).isEqualTo("h2");
    assertThat(select.attributes().get("db.statement")).isEqualTo("SELECT name FROM product WHERE id = ?");
    assertThat(select.attributes().get("db.name")).isEqualTo("shop");
    assertThat(exporter.onlySpanNamed("INSERT product").attributes().get("db.operation.name")).isEqualTo("INSERT");
    assertThat(exporter.onlySpanNamed("CREATE product")).isNotNull();
  }

  @Test
  void sqlErrorsAreRecordedAndRethrown() throws Exception {
    Connection connection = TracingDataSource.wrap(fakeConnection(), tracer, "h2", null);
    try (Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("SELECT BAD FROM t")).isInstanceOf(SQLException.class);
    }
    SpanData span = exporter.onlySpanNamed("SELECT t");
    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.events().get(0).attributes().get("exception.type")).isEqualTo("java.sql.SQLException");
  }

  @Test
  void operationAndTableParsing() {
    assertThat(TracingDataSource.operation("  select * from a")).isEqualTo("SELECT");
    assertThat(TracingDataSource.table("select * from orders o", "SELECT")).isEqualTo("orders");
    assertThat(TracingDataSource.table("UPDATE stock SET n = 1", "UPDATE")).isEqualTo("stock");
    assertThat(TracingDataSource.table("DELETE FROM cart;", "DELETE")).isEqualTo("cart");
    assertThat(TracingDataSource.table("CREATE TABLE IF NOT EXISTS p(id int)", "CREATE")).isEqualTo("p");
    assertThat(TracingDataSource.table("CALL proc()", "CALL")).isNull();
    assertThat(TracingDataSource.operation(null)).isNull();
  }
}
