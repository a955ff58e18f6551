package dev.spanwise.examples.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.instrumentation.TracingDataSource;
import dev.spanwise.tracer.instrumentation.TracingHttpClient;
import dev.spanwise.tracer.instrumentation.TracingHttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * One service of the shop: its own tracer (its own {@code service.name}), its own HTTP server
 * with traced routes, a traced HTTP client for calling the others, and optionally its own
 * in-memory H2 database behind the traced JDBC wrapper.
 */
final class ShopService implements AutoCloseable {
  /** What a route answers. */
  static final class Reply {
    final int status;
    final String body;

    Reply(int status, String body) {
      this.status = status;
      this.body = body;
    }

    static Reply ok(String body) {
      return new Reply(200, body);
    }
  }

  /** A route's logic. */
  interface Route {
    Reply handle(Map<String, String> query) throws Exception;
  }

  /** A downstream call that answered with an error status. */
  static final class DownstreamException extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    DownstreamException(String service, int status, String body) {
      super(service + " answered " + status + ": " + body);
      this.status = status;
    }
  }

  final String name;
  final Tracer tracer;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient client;
  private JdbcDataSource h2;
  private DataSource database;

  ShopService(String name, Map<String, String> env) throws IOException {
    this.name = name;
    Map<String, String> serviceEnv = new LinkedHashMap<>(env);
    serviceEnv.put("OTEL_SERVICE_NAME", name);
    this.tracer = Tracer.fromEnv(serviceEnv);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    this.executor = Executors.newFixedThreadPool(8);
    this.server.setExecutor(executor);
    this.client = TracingHttpClient.create(HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(), tracer);
  }

  /** An in-memory H2 database named after the service, seen through the traced JDBC wrapper. */
  synchronized DataSource database() {
    if (database == null) {
      database = TracingDataSource.wrap(untracedDatabase(), tracer, "h2", name);
    }
    return database;
  }

  /** The same database without tracing, for setting it up before traffic. */
  synchronized DataSource untracedDatabase() {
    if (h2 == null) {
      h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:" + name + "-" + System.identityHashCode(this) + ";DB_CLOSE_DELAY=-1");
    }
    return h2;
  }

  void route(String path, Route route) {
    server.createContext(path, TracingHttpHandler.wrap(tracer, path, exchange -> serve(exchange, route)));
  }

  private static void serve(HttpExchange exchange, Route route) throws IOException {
    Reply reply;
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
      reply = route.handle(query(exchange.getRequestURI()));
    } catch (IllegalArgumentException e) {
      reply = new Reply(400, e.getMessage());
    } catch (DownstreamException e) {
      Span.current().recordException(e);
      reply = new Reply(502, e.getMessage());
    } catch (Exception e) {
      Span.current().recordException(e);
      reply = new Reply(500, e.toString());
    }
    byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> map = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return map;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return map;
  }

  static String required(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + ": required query parameter is missing");
    }
    return value;
  }

  void start() {
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Calls another service; returns the body, or throws when it answers an error status. */
  String call(String method, ShopService target, String path, Map<String, String> params)
      throws IOException, InterruptedException, DownstreamException {
    StringBuilder url = new StringBuilder(target.url(path));
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      url.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
        .timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw new DownstreamException(target.name, response.statusCode(), response.body());
    }
    return response.body();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      // handlers end their server spans just after answering: let them finish before flushing
      executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    tracer.close();
  }
}
