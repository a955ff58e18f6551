package dev.spanwise.tracer.instrumentation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.propagation.TextMapGetter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Wraps a JDK {@code com.sun.net.httpserver} handler: extracts the caller's context from the
 * request headers, makes a SERVER span current while the handler runs (named {@code METHOD
 * route}, with the OpenTelemetry HTTP server attributes), and marks 5xx responses and exceptions
 * as errors.
 */
public final class TracingHttpHandler implements HttpHandler {
  private final Tracer tracer;
  private final String route;
  private final HttpHandler delegate;

  private TracingHttpHandler(Tracer tracer, String route, HttpHandler delegate) {
    this.tracer = tracer;
    this.route = route;
    this.delegate = delegate;
  }

  /** {@code route} is the low-cardinality path template for the span name, e.g. {@code /product}. */
  public static TracingHttpHandler wrap(Tracer tracer, String route, HttpHandler delegate) {
    return new TracingHttpHandler(Objects.requireNonNull(tracer, "tracer"),
        Objects.requireNonNull(route, "route"), Objects.requireNonNull(delegate, "delegate"));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Context parent = tracer.extract(exchange.getRequestHeaders(), TextMapGetter.forMultiMap());
    String method = exchange.getRequestMethod();
    Span span = tracer.spanBuilder(method + " " + route).setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", method)
        .setAttribute("http.route", route)
        .setAttribute("url.path", exchange.getRequestURI().getRawPath())
        .setAttribute("url.scheme", exchange.getProtocol() != null
            && exchange.getProtocol().toLowerCase(java.util.Locale.ROOT).startsWith("https") ? "https" : "http")
        .startSpan();
    try {
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null) {
        span.setAttribute("url.query", query);
      }
      InetSocketAddress local = exchange.getLocalAddress();
      if (local != null) {
        span.setAttribute("server.port", (long) local.getPort());
      }
      InetSocketAddress remote = exchange.getRemoteAddress();
      if (remote != null && remote.getAddress() != null) {
        span.setAttribute("client.address", remote.getAddress().getHostAddress());
      }
      String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
      if (userAgent != null) {
        span.setAttribute("user_agent.original", userAgent);
      }
    } catch (RuntimeException e) {
      // attributes are best effort
    }
    try (Scope ignored = parent.with(span).makeCurrent()) {
      delegate.handle(exchange);
      int status = exchange.getResponseCode();
      if (status > 0) {
        span.setAttribute("http.response.status_code", (long) status);
        if (status >= 500) {
          span.setAttribute("error.type", String.valueOf(status));
          span.setStatus(StatusCode.ERROR, null);
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      span.setAttribute("error.type", e.getClass().getName());
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }
}
