package dev.spanwise.collector.receiver;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** An Armeria server on 127.0.0.1 and an ephemeral port, and a client for it. */
final class TestServer implements AutoCloseable {
  private final Server server;
  private final ClientFactory clientFactory;
  final WebClient client;

  TestServer(Consumer<ServerBuilder> configure) {
    ServerBuilder sb = Server.builder()
        .http(new InetSocketAddress("127.0.0.1", 0))
        .gracefulShutdownTimeoutMillis(0, 0)
        .connectionDrainDurationMicros(0);
    configure.accept(sb);
    server = sb.build();
    server.start().join();
    clientFactory = ClientFactory.builder().workerGroup(CommonPools.workerGroup(), false).build();
    client = WebClient.builder(uri())
        .factory(clientFactory)
        .responseTimeoutMillis(30_000)
        .build();
  }

  String uri() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  ClientFactory clientFactory() {
    return clientFactory;
  }

  int port() {
    return server.activeLocalPort();
  }

  /** POSTs {@code body} with the given content type (none if null) and extra header pairs. */
  CompletableFuture<AggregatedHttpResponse> postAsync(
      String path, String contentType, byte[] body, String... headerPairs) {
    RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path);
    if (contentType != null) headers.set("content-type", contentType);
    for (int i = 0; i < headerPairs.length; i += 2) headers.set(headerPairs[i], headerPairs[i + 1]);
    return client.execute(HttpRequest.of(headers.build(), HttpData.wrap(body))).aggregate();
  }

  AggregatedHttpResponse post(String path, String contentType, byte[] body, String... headers) {
    return postAsync(path, contentType, body, headers).join();
  }

  @Override
  public void close() {
    clientFactory.close();
    // Not joined: Netty lets the boss event loop idle for a 2 s quiet period before it terminates.
    server.stop();
  }
}
