package dev.spanwise.tracer.export;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/** A test OTLP/HTTP receiver on 127.0.0.1: parses bodies with protobuf-java. */
public final class OtlpReceiver implements AutoCloseable {
  public final List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();
  public final List<String> contentEncodings = new CopyOnWriteArrayList<>();
  public final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Statuses to answer, in order, before answering 200; with optional Retry-After. */
  public final ConcurrentLinkedQueue<int[]> scriptedStatuses = new ConcurrentLinkedQueue<>();
  public volatile int attempts;
  private final HttpServer server;

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", exchange -> {
      attempts++;
      try (InputStream raw = exchange.getRequestBody()) {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        contentEncodings.add(String.valueOf(encoding));
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        InputStream in = "gzip".equals(encoding) ? new GZIPInputStream(raw) : raw;
        byte[] body = in.readAllBytes();
        int[] scripted = scriptedStatuses.poll();
        if (scripted != null) {
          if (scripted.length > 1) {
            exchange.getResponseHeaders().add("Retry-After", String.valueOf(scripted[1]));
          }
          exchange.sendResponseHeaders(scripted[0], -1);
          return;
        }
        if (!"application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
          exchange.sendResponseHeaders(415, -1);
          return;
        }
        requests.add(ExportTraceServiceRequest.parseFrom(body));
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, 0);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String tracesUrl() {
    return baseUrl() + "/v1/traces";
  }

  public List<io.opentelemetry.proto.trace.v1.Span> spans() {
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (ExportTraceServiceRequest r : requests) {
      r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList()
          .forEach(ss -> spans.addAll(ss.getSpansList())));
    }
    return spans;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
