package dev.spanwise.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shop's traces, as an OTLP receiver sees them. */
class ShopTest {

  record Recorded(String service, Span span) {}

  private static String attr(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue())
        .findFirst().orElse(null);
  }

  @Test
  void purchasesProduceTracesAcrossSixServicesWithDatabaseSpansErrorsAndTheBottleneck() throws Exception {
    List<ExportTraceServiceRequest> requests = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        requests.add(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
      } finally {
        exchange.close();
      }
    });
    receiver.start();
    Shop.Settings settings = new Shop.Settings();
    settings.seed = 42;
    settings.paymentErrorRate = 0.3;
    settings.authRejectRate = 0.0;
    settings.slowShare = 0.3;
    settings.slowDelay = Duration.ofMillis(30);
    Map<String, String> env = Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort(),
        "OTEL_BSP_SCHEDULE_DELAY", "100");
    int ok = 0;
    int failed = 0;
    List<String> failures = new ArrayList<>();
    try (Shop shop = new Shop(env, settings)) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String url : shop.randomBuyUrls(20)) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          ok++;
        } else {
          failed++;
          failures.add(r.statusCode() + " " + r.body());
        }
      }
    } finally {
      receiver.stop(0);
    }
    assertThat(ok).isPositive();
    assertThat(failed).isPositive();
    assertThat(failures).as("failed purchases").allMatch(f -> f.contains("payment gateway error"));

    List<Recorded> all = new ArrayList<>();
    for (ExportTraceServiceRequest request : requests) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        String service = attr(rs.getResource().getAttributesList(), "service.name");
        rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> all.add(new Recorded(service, s))));
      }
    }
    Map<ByteString, List<Recorded>> traces = all.stream().collect(Collectors.groupingBy(r -> r.span().getTraceId()));
    assertThat(traces).hasSize(20);

    for (List<Recorded> trace : traces.values()) {
      // one root (the frontend server span) and every parent present: complete traces
      Set<ByteString> ids = trace.stream().map(r -> r.span().getSpanId()).collect(Collectors.toSet());
      List<Recorded> roots = trace.stream().filter(r -> r.span().getParentSpanId().isEmpty()).toList();
      assertThat(roots).hasSize(1);
      assertThat(roots.get(0).service()).isEqualTo("frontend");
      assertThat(roots.get(0).span().getName()).isEqualTo("GET /buy");
      assertThat(trace).allSatisfy(r -> assertThat(r.span().getParentSpanId().isEmpty()
          || ids.contains(r.span().getParentSpanId())).isTrue());
    }

    List<List<Recorded>> successful = traces.values().stream()
        .filter(t -> t.stream().anyMatch(r -> r.span().getName().equals("GET /buy")
            && r.span().getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR)).toList();
    assertThat(successful).hasSize(ok);
    Set<String> services = successful.get(0).stream().map(Recorded::service).collect(Collectors.toSet());
    assertThat(services).containsExactlyInAnyOrder("frontend", "auth", "product", "inventory", "order", "payment");
    Set<String> dbSpans = new HashSet<>();
    successful.get(0).stream()
        .filter(r -> "h2".equals(attr(r.span().getAttributesList(), "db.system")))
        .forEach(r -> dbSpans.add(r.service() + ":" + r.span().getName()));
    assertThat(dbSpans).contains("product:SELECT product", "inventory:SELECT stock",
        "inventory:UPDATE stock", "order:INSERT orders");

    // payment errors mark the payment span and the purchase
    assertThat(traces.values()).anySatisfy(t -> {
      assertThat(t).anyMatch(r -> r.service().equals("payment") && r.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
          && r.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(t).anyMatch(r -> r.span().getName().equals("GET /buy")
          && r.span().getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR);
    });
    // the planted bottleneck: a slow lock wait under the inventory stock check in some traces
    assertThat(all).anyMatch(r -> r.service().equals("inventory")
        && "SELECT LOCK_WAIT(?)".equals(attr(r.span().getAttributesList(), "db.statement")));
    Map<String, Long> perService = all.stream().collect(Collectors.groupingBy(Recorded::service, HashMap::new,
        Collectors.counting()));
    assertThat(perService).containsOnlyKeys("frontend", "auth", "product", "inventory", "order", "payment");
  }
}
