package dev.spanwise.benchmarks.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import java.net.URI;
import java.time.Duration;

/** A server's Prometheus endpoint, read for its indexed-span counter and indexing backlog. */
final class ServerMetrics implements AutoCloseable {
  private final ClientFactory factory;
  private final WebClient client;
  private final String path;
  private final String indexedCounter;
  private final String lagGauge;

  private ServerMetrics(ClientFactory factory, WebClient client, String path, String indexedCounter,
      String lagGauge) {
    this.factory = factory;
    this.client = client;
    this.path = path;
    this.indexedCounter = indexedCounter;
    this.lagGauge = lagGauge;
  }

  static ServerMetrics of(String url, String indexedCounter, String lagGauge) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--metrics-url: not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("--metrics-url: expected http://host:port/path, got " + url);
    }
    ClientFactory factory = ClientFactory.builder().build();
    WebClient client = WebClient.builder("h1c://" + uri.getHost() + ":" + uri.getPort())
        .factory(factory)
        .responseTimeout(Duration.ofSeconds(10))
        .build();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/metrics" : uri.getRawPath();
    return new ServerMetrics(factory, client, path, indexedCounter, lagGauge);
  }

  double indexed() {
    return PrometheusScrape.read(client, path, indexedCounter);
  }

  double lagBytes() {
    return PrometheusScrape.read(client, path, lagGauge);
  }

  @Override
  public void close() {
    factory.close();
  }
}
