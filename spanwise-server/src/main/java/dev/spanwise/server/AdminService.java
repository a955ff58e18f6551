package dev.spanwise.server;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * {@code /health} (the process is alive), {@code /ready} (it can take and serve spans: storage
 * open, write-ahead log replayed) and {@code /metrics} (Prometheus text format).
 */
final class AdminService {
  private static final MediaType PROMETHEUS_TEXT =
      MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

  private final PrometheusMeterRegistry registry;
  private final Supplier<String> notReadyReason;

  /** {@code notReadyReason} returns null when ready, otherwise why not. */
  AdminService(PrometheusMeterRegistry registry, Supplier<String> notReadyReason) {
    this.registry = registry;
    this.notReadyReason = notReadyReason;
  }

  void configure(ServerBuilder sb) {
    sb.service("/health", (ctx, req) ->
        HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"UP\"}"));
    sb.service("/ready", (ctx, req) -> {
      String reason = notReadyReason.get();
      if (reason == null) {
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"READY\"}");
      }
      return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8,
          "{\"status\":\"NOT_READY\",\"reason\":\"" + reason.replace("\"", "'") + "\"}");
    });
    sb.service("/metrics", (ctx, req) ->
        HttpResponse.of(HttpStatus.OK, PROMETHEUS_TEXT, registry.scrape()));
  }
}
