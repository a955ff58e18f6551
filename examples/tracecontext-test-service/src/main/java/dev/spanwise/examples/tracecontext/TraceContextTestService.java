package dev.spanwise.examples.tracecontext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.instrumentation.TracingHttpClient;
import dev.spanwise.tracer.instrumentation.TracingHttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The service the W3C Trace Context test harness (github.com/w3c/trace-context, {@code test/})
 * drives: {@code POST /} with a JSON array of {@code {"url": ..., "arguments": ...}}; for each
 * entry it POSTs {@code arguments} as JSON to {@code url}, propagating the incoming context with
 * the propagators chosen by {@code OTEL_PROPAGATORS} (default {@code tracecontext,baggage}).
 * Listens on {@code --port N} or {@code PORT} (default 8080).
 */
public final class TraceContextTestService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceContextTestService() {}

  public static void main(String[] args) throws IOException {
    int port = port(args, System.getenv("PORT"));
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("OTEL_SERVICE_NAME", "tracecontext-test-service");
    Tracer tracer = Tracer.fromEnv(env);
    HttpServer server = start(port, tracer);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(0);
      tracer.close();
    }));
    System.out.println("W3C Trace Context test service listening on port " + server.getAddress().getPort()
        + " with " + tracer.propagator());
  }

  static int port(String[] args, String envPort) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--port")) {
        return parsePort("--port", args[i + 1]);
      }
    }
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        return parsePort("--port", arg.substring("--port=".length()));
      }
    }
    return envPort == null || envPort.isEmpty() ? 8080 : parsePort("PORT", envPort);
  }

  private static int parsePort(String name, String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port number 0-65535, was '" + value + "'");
    }
  }

  /** Starts the service on 0.0.0.0:{@code port} (0 for any free port). */
  public static HttpServer start(int port, Tracer tracer) throws IOException {
    return start(new InetSocketAddress(port), tracer);
  }

  public static HttpServer start(InetSocketAddress address, Tracer tracer) throws IOException {
    HttpClient client = TracingHttpClient.create(HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).build(), tracer);
    HttpServer server = HttpServer.create(address, 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", TracingHttpHandler.wrap(tracer, "/", exchange -> handle(exchange, client)));
    server.start();
    return server;
  }

  private static void handle(HttpExchange exchange, HttpClient client) throws IOException {
    try (HttpExchange ignored = exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, "only POST is supported");
        return;
      }
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = JSON.readTree(in);
      } catch (IOException e) {
        respond(exchange, 400, "body: not JSON: " + e.getMessage());
        return;
      }
      if (body == null || !body.isArray()) {
        respond(exchange, 400, "body: expected a JSON array of {\"url\", \"arguments\"}");
        return;
      }
      for (JsonNode entry : body) {
        JsonNode url = entry.get("url");
        if (url == null || !url.isTextual()) {
          respond(exchange, 400, "url: expected a string in every entry");
          return;
        }
        JsonNode arguments = entry.has("arguments") ? entry.get("arguments") : JSON.createArrayNode();
        try {
          client.send(HttpRequest.newBuilder(URI.create(url.asText()))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(arguments)))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (IllegalArgumentException e) {
          respond(exchange, 400, "url: " + e.getMessage());
          return;
        } catch (IOException e) {
          // the harness's callback may be gone; carry on with the others
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          respond(exchange, 503, "interrupted");
          return;
        }
      }
      respond(exchange, 200, "");
    }
  }

  private static void respond(HttpExchange exchange, int status, String message) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
