package dev.spanwise.tracer.instrumentation;

import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose connections make a CLIENT span for each statement execution, named
 * after the operation and target ({@code SELECT product}) with {@code db.system}, {@code
 * db.statement} (and {@code db.query.text}), {@code db.name} when given, and SQL errors recorded.
 */
public final class TracingDataSource implements DataSource {
  private final DataSource delegate;
  private final Tracer tracer;
  private final String dbSystem;
  private final String dbName;

  private TracingDataSource(DataSource delegate, Tracer tracer, String dbSystem, String dbName) {
    this.delegate = delegate;
    this.tracer = tracer;
    this.dbSystem = dbSystem;
    this.dbName = dbName;
  }

  /**
   * @param dbSystem the OpenTelemetry {@code db.system} value, e.g. {@code h2}, {@code postgresql}
   * @param dbName the database name, or null
   */
  public static TracingDataSource wrap(DataSource delegate, Tracer tracer, String dbSystem, String dbName) {
    if (dbSystem == null || dbSystem.isEmpty()) {
      throw new IllegalArgumentException("dbSystem must not be empty");
    }
    return new TracingDataSource(Objects.requireNonNull(delegate, "delegate"),
        Objects.requireNonNull(tracer, "tracer"), dbSystem, dbName);
  }

  /** Wraps one connection (for code that does not use a DataSource). */
  public static Connection wrap(Connection connection, Tracer tracer, String dbSystem, String dbName) {
    return new TracingDataSource(null, tracer, dbSystem, dbName).wrapConnection(connection);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrapConnection(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrapConnection(delegate.getConnection(username, password));
  }

  Connection wrapConnection(Connection connection) {
    return (Connection) Proxy.newProxyInstance(TracingDataSource.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final Connection connection;

    ConnectionHandler(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("unwrap") && args != null && args[0] == Connection.class) {
        return connection;
      }
      Object result = invokeDelegate(connection, method, args);
      String name = method.getName();
      if (result instanceof CallableStatement && name.equals("prepareCall")) {
        return statement(CallableStatement.class, (Statement) result, (String) args[0]);
      }
      if (result instanceof PreparedStatement && name.equals("prepareStatement")) {
        return statement(PreparedStatement.class, (Statement) result, (String) args[0]);
      }
      if (result instanceof Statement && name.equals("createStatement")) {
        return statement(Statement.class, (Statement) result, null);
      }
      return result;
    }
  }

  private Object statement(Class<?> type, Statement statement, String sql) {
    return Proxy.newProxyInstance(TracingDataSource.class.getClassLoader(), new Class<?>[] {type},
        new StatementHandler(statement, sql));
  }

  private final class StatementHandler implements InvocationHandler {
    private final Statement statement;
    private final String preparedSql;

    StatementHandler(Statement statement, String preparedSql) {
      this.statement = statement;
      this.preparedSql = preparedSql;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (!name.startsWith("execute")) {
        return invokeDelegate(statement, method, args);
      }
      String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : preparedSql;
      Span span = startSpan(sql);
      try (dev.spanwise.tracer.Scope ignored = span.makeCurrent()) {
        return invokeDelegate(statement, method, args);
      } catch (Throwable e) {
        span.setAttribute("error.type", e.getClass().getName());
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.getMessage());
        throw e;
      } finally {
        span.end();
      }
    }
  }

  private Span startSpan(String sql) {
    String operation = operation(sql);
    String table = table(sql, operation);
    String spanName = operation == null ? dbSystem : table == null ? operation : operation + " " + table;
    Span span = tracer.spanBuilder(spanName).setSpanKind(SpanKind.CLIENT)
        .setAttribute("db.system", dbSystem).startSpan();
    if (sql != null) {
      span.setAttribute("db.statement", sql);
      span.setAttribute("db.query.text", sql);
    }
    if (operation != null) {
      span.setAttribute("db.operation.name", operation);
    }
    if (table != null) {
      span.setAttribute("db.collection.name", table);
    }
    if (dbName != null) {
      span.setAttribute("db.name", dbName);
      span.setAttribute("db.namespace", dbName);
    }
    return span;
  }

  /** The first SQL keyword in upper case, or null. */
  static String operation(String sql) {
    if (sql == null) {
      return null;
    }
    String trimmed = sql.trim();
    int end = 0;
    while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
      end++;
    }
    return end == 0 ? null : trimmed.substring(0, end).toUpperCase(Locale.ROOT);
  }

  /** The table after FROM / INTO / UPDATE / TABLE for simple statements, or null. */
  static String table(String sql, String operation) {
    if (sql == null || operation == null) {
      return null;
    }
    String[] words = sql.trim().split("\\s+");
    String keyword;
    switch (operation) {
      case "SELECT":
      case "DELETE":
        keyword = "FROM";
        break;
      case "INSERT":
      case "MERGE":
        keyword = "INTO";
        break;
      case "UPDATE":
        return words.length > 1 ? clean(words[1]) : null;
      case "CREATE":
      case "DROP":
      case "ALTER":
        keyword = "TABLE";
        break;
      default:
        return null;
    }
    for (int i = 0; i < words.length - 1; i++) {
      if (words[i].equalsIgnoreCase(keyword)) {
        String next = words[i + 1];
        if (next.equalsIgnoreCase("IF") && i + 3 < words.length) {
          next = words[i + 3]; // IF [NOT] EXISTS
          if (words[i + 2].equalsIgnoreCase("NOT") && i + 4 < words.length) {
            next = words[i + 4];
          }
        }
        return next.startsWith("(") ? null : clean(next);
      }
    }
    return null;
  }

  private static String clean(String word) {
    int paren = word.indexOf('(');
    String w = paren > 0 ? word.substring(0, paren) : word;
    w = w.replace(";", "").replace(",", "");
    return w.isEmpty() ? null : w;
  }

  private static Object invokeDelegate(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(delegate)) {
      return iface.cast(delegate);
    }
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }
}
