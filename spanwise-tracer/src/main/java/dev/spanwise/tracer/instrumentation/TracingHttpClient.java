package dev.spanwise.tracer.instrumentation;

import dev.spanwise.tracer.Context;
import dev.spanwise.tracer.Scope;
import dev.spanwise.tracer.Span;
import dev.spanwise.tracer.SpanKind;
import dev.spanwise.tracer.StatusCode;
import dev.spanwise.tracer.Tracer;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} that makes a CLIENT span for each request (named after the method, with
 * the OpenTelemetry HTTP client attributes), injects the context into the request headers with
 * the tracer's propagator, and marks 4xx/5xx responses and failures as errors. Use it wherever an
 * {@code HttpClient} is expected.
 */
public final class TracingHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final Tracer tracer;

  private TracingHttpClient(HttpClient delegate, Tracer tracer) {
    this.delegate = delegate;
    this.tracer = tracer;
  }

  public static TracingHttpClient create(HttpClient delegate, Tracer tracer) {
    return new TracingHttpClient(Objects.requireNonNull(delegate, "delegate"),
        Objects.requireNonNull(tracer, "tracer"));
  }

  private Span startSpan(HttpRequest request) {
    URI uri = request.uri();
    Span span = tracer.spanBuilder(request.method()).setSpanKind(SpanKind.CLIENT)
        .setAttribute("http.request.method", request.method())
        .setAttribute("url.full", redact(uri))
        .startSpan();
    if (uri.getHost() != null) {
      span.setAttribute("server.address", uri.getHost());
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    span.setAttribute("server.port", (long) port);
    return span;
  }

  private static String redact(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    return uri.toString().replace(uri.getRawUserInfo() + "@", "REDACTED:REDACTED@");
  }

  private HttpRequest inject(HttpRequest request, Span span) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
        .method(request.method(), request.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()))
        .expectContinue(request.expectContinue());
    request.timeout().ifPresent(builder::timeout);
    request.version().ifPresent(builder::version);
    for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
      for (String value : header.getValue()) {
        builder.header(header.getKey(), value);
      }
    }
    tracer.inject(Context.current().with(span), builder, (b, key, value) -> b.setHeader(key, value));
    return builder.build();
  }

  private static void onResponse(Span span, HttpResponse<?> response) {
    int status = response.statusCode();
    span.setAttribute("http.response.status_code", (long) status);
    if (status >= 400) {
      span.setAttribute("error.type", String.valueOf(status));
      span.setStatus(StatusCode.ERROR, null);
    }
  }

  private static void onError(Span span, Throwable error) {
    span.setAttribute("error.type", error.getClass().getName());
    span.recordException(error);
    span.setStatus(StatusCode.ERROR, error.getMessage());
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Span span = startSpan(request);
    try (Scope ignored = span.makeCurrent()) {
      HttpResponse<T> response = delegate.send(inject(request, span), handler);
      onResponse(span, response);
      return response;
    } catch (IOException | InterruptedException | RuntimeException e) {
      onError(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    Span span = startSpan(request);
    CompletableFuture<HttpResponse<T>> future;
    try (Scope ignored = span.makeCurrent()) {
      HttpRequest traced = inject(request, span);
      future = pushPromiseHandler == null ? delegate.sendAsync(traced, handler)
          : delegate.sendAsync(traced, handler, pushPromiseHandler);
    } catch (RuntimeException e) {
      onError(span, e);
      span.end();
      throw e;
    }
    return future.whenComplete((response, error) -> {
      if (error != null) {
        onError(span, error);
      } else {
        onResponse(span, response);
      }
      span.end();
    });
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

}
