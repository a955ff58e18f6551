package dev.spanwise.examples.tracecontext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.export.InMemorySpanExporter;
import dev.spanwise.tracer.export.SimpleSpanProcessor;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plays the harness: calls the service and checks what its callback receives. */
class TraceContextTestServiceTest {
  private static final String TRACE_ID = "12345678901234567890123456789012";
  private final List<Headers> callbackHeaders = new CopyOnWriteArrayList<>();
  private final List<String> callbackBodies = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer harness;
  private HttpServer service;
  private Tracer tracer;

  @BeforeEach
  void start() throws Exception {
    harness = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    harness.createContext("/callback", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        callbackBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      callbackHeaders.add(exchange.getRequestHeaders());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    harness.start();
    tracer = Tracer.builder().serviceName("tc").addSpanProcessor(
        SimpleSpanProcessor.create(InMemorySpanExporter.create())).build();
    service = TraceContextTestService.start(new InetSocketAddress("127.0.0.1", 0), tracer);
  }

  @AfterEach
  void stop() {
    service.stop(0);
    harness.stop(0);
    tracer.close();
  }

  private int call(Map<String, List<String>> headers, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + service.getAddress().getPort() + "/"))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach((k, values) -> values.forEach(v -> request.header(k, v)));
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String callbackBody(String arguments) {
    return "[{\"url\": \"http://127.0.0.1:" + harness.getAddress().getPort() + "/callback\", \"arguments\": "
        + arguments + "}]";
  }

  @Test
  void propagatesTraceIdAndTracestateWithANewParentId() throws Exception {
    String traceparent = "00-" + TRACE_ID + "-1234567890123456-01";
    assertThat(call(Map.of("traceparent", List.of(traceparent), "tracestate", List.of("foo=1", "bar=2")),
        callbackBody("[{\"nested\": true}]"))).isEqualTo(200);
    assertThat(callbackHeaders).hasSize(1);
    String out = callbackHeaders.get(0).getFirst("traceparent");
    assertThat(out).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
    assertThat(out.substring(36, 52)).isNotEqualTo("1234567890123456");
    assertThat(callbackHeaders.get(0).getFirst("tracestate")).isEqualTo("foo=1,bar=2");
    assertThat(callbackBodies.get(0)).isEqualTo("[{\"nested\":true}]");
  }

  @Test
  void invalidOrDuplicateTraceparentStartsANewTrace() throws Exception {
    call(Map.of("traceparent", List.of("00-ABCDEF78901234567890123456789012-1234567890123456-01")), callbackBody("[]"));
    call(Map.of("traceparent", List.of("00-" + TRACE_ID + "-1234567890123456-01",
        "00-" + TRACE_ID + "-1234567890123457-01")), callbackBody("[]"));
    assertThat(callbackHeaders).hasSize(2).allSatisfy(h -> {
      assertThat(h.getFirst("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
      assertThat(h.getFirst("traceparent")).doesNotContain(TRACE_ID).doesNotContainIgnoringCase("ABCDEF78901234567890123456789012");
    });
  }

  @Test
  void badRequestsAre400NamingTheField() throws Exception {
    assertThat(call(Map.of(), "not json")).isEqualTo(400);
    assertThat(call(Map.of(), "[{\"arguments\": []}]")).isEqualTo(400);
  }

  @Test
  void portFromFlagOrEnvironment() {
    assertThat(TraceContextTestService.port(new String[] {"--port", "7777"}, "1")).isEqualTo(7777);
    assertThat(TraceContextTestService.port(new String[] {"--port=7000"}, null)).isEqualTo(7000);
    assertThat(TraceContextTestService.port(new String[0], "9000")).isEqualTo(9000);
    assertThat(TraceContextTestService.port(new String[0], null)).isEqualTo(8080);
    assertThatThrownBy(() -> TraceContextTestService.port(new String[] {"--port", "x"}, null))
        .hasMessageContaining("--port");
  }
}
