package dev.spanwise.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;

/** An in-process Armeria server on 127.0.0.1, an ephemeral port, and a JSON client for it. */
final class ApiServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Server server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ApiServer(Consumer<ServerBuilder> configure) {
    ServerBuilder sb = Server.builder().port(new InetSocketAddress("127.0.0.1", 0),
        SessionProtocol.HTTP);
    sb.gracefulShutdownTimeoutMillis(0, 0);
    configure.accept(sb);
    server = sb.build();
    server.start().join();
  }

  /** A response: its status, parsed JSON body and Server-Timing header. */
  record Reply(int status, String contentType, JsonNode json, String body, String serverTiming) {}

  Reply get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      String type = r.headers().firstValue("content-type").orElse("");
      JsonNode json = type.contains("json") ? MAPPER.readTree(r.body()) : null;
      return new Reply(r.statusCode(), type, json, r.body(),
          r.headers().firstValue("server-timing").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.activeLocalPort() + pathAndQuery);
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
