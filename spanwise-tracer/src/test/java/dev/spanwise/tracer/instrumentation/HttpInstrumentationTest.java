package dev.spanwise.tracer.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spanwise.tracer.Baggage;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SimpleSpanProcessor;
import dev.spanwise.tracer.export.SpanData;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpInstrumentationTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Tracer tracer = Tracer.builder().serviceName("http-test")
      .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private HttpServer server;
  private HttpClient client;
  private final AtomicReference<String> seenBaggage = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/product", TracingHttpHandler.wrap(tracer, "/product", exchange -> {
      seenBaggage.set(Baggage.current().get("user"));
      Span.current().addEvent("handled");
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    }));
    server.createContext("/fail", TracingHttpHandler.wrap(tracer, "/fail", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    }));
    server.createContext("/throw", TracingHttpHandler.wrap(tracer, "/throw", exchange -> {
      exchange.close();
      throw new IllegalStateException("handler bug");
    }));
    server.start();
    client = TracingHttpClient.create(HttpClient.newHttpClient(), tracer);
  }

  @AfterEach
  void stop() {
    server.stop(0);
    tracer.close();
  }

  /** The server span ends just after the response is sent: wait for it. */
  private SpanData awaitSpan(String name) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (exporter.finishedSpans().stream().anyMatch(s -> s.name().equals(name))) {
        break;
      }
      Thread.sleep(5);
    }
    return exporter.onlySpanNamed(name);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path + "?id=1");
  }

  @Test
  void clientAndServerSpansJoinOneTraceWithBaggage() throws Exception {
    Span parent = tracer.startSpan("caller");
    try (Scope ignored = Context.current().with(parent)
        .with(Baggage.empty().with("user", "alice")).makeCurrent()) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/product"))
          .header("X-Custom", "kept").GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo("ok");
    }
    parent.end();
    SpanData clientSpan = exporter.onlySpanNamed("GET");
    SpanData serverSpan = awaitSpan("GET /product");
    assertThat(clientSpan.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(clientSpan.parentSpanIdHex()).isEqualTo(parent.context().spanIdHex());
    assertThat(clientSpan.attributes().get("http.response.status_code")).isEqualTo(200L);
    assertThat(clientSpan.attributes().get("server.address")).isEqualTo("127.0.0.1");
    assertThat((String) clientSpan.attributes().get("url.full")).endsWith("/product?id=1");
    assertThat(serverSpan.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(serverSpan.traceId()).isEqualTo(parent.context().traceId());
    assertThat(serverSpan.parentSpanIdHex()).isEqualTo(clientSpan.spanId());
    assertThat(serverSpan.hasRemoteParent()).isTrue();
    assertThat(serverSpan.attributes().get("http.route")).isEqualTo("/product");
    assertThat(serverSpan.attributes().get("url.query")).isEqualTo("id=1");
    assertThat(serverSpan.attributes().get("http.response.status_code")).isEqualTo(200L);
    assertThat(serverSpan.events()).extracting(e -> e.name()).containsExactly("handled");
    assertThat(seenBaggage.get()).isEqualTo("alice");
  }

  @Test
  void serverErrorsMarkBothSpans() throws Exception {
    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri("/fail")).GET().build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(awaitSpan("GET /fail").statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exporter.onlySpanNamed("GET").statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exporter.onlySpanNamed("GET").parentSpanId()).isZero();
  }

  @Test
  void handlerExceptionsAreRecorded() throws Exception {
    try {
      client.send(HttpRequest.newBuilder(uri("/throw")).GET().build(), HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException expected) {
      // the server closed the exchange without a response
    }
        long deadline = System.nanoTime() + 5_000_000_000L;
    while (exporter.finishedSpans().stream().noneMatch(s -> s.name().equals("GET /throw"))
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    // the JDK client may retry an idempotent GET once: every server span must show the error
    assertThat(exporter.finishedSpans()).filteredOn(s -> s.name().equals("GET /throw"))
        .isNotEmpty().allSatisfy(serverSpan -> {
          assertThat(serverSpan.statusCode()).isEqualTo(StatusCode.ERROR);
          assertThat(serverSpan.events().get(0).attributes().get("exception.message")).isEqualTo("handler bug");
        });
  }

  @Test
  void asyncSendEndsTheSpanOnCompletion() throws Exception {
    HttpResponse<String> response = client.sendAsync(HttpRequest.newBuilder(uri("/product")).build(),
        HttpResponse.BodyHandlers.ofString()).get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(exporter.onlySpanNamed("GET").attributes().get("http.response.status_code")).isEqualTo(200L);
    assertThat(awaitSpan("GET /product").parentSpanIdHex())
        .isEqualTo(exporter.onlySpanNamed("GET").spanId());
  }
}
