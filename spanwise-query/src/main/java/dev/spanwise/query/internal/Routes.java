package dev.spanwise.query.internal;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.spanwise.query.QueryOptions;
import dev.spanwise.storage.UnsupportedQueryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts {@link Endpoint}s as GET routes. Each runs off the event loop on the query threads
 * (storage calls block), and its exceptions become the API's error shape: bad parameters and
 * questions the backend cannot answer are 400, unknown traces 404, storage failures 503, anything
 * else 500.
 */
public final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

  private final ServerBuilder sb;
  private final ErrorRenderer errors;
  private final Executor executor;

  /** Routes whose endpoints run on {@code executor} ({@link QueryOptions#executor()}). */
  public Routes(ServerBuilder sb, ErrorRenderer errors, Executor executor) {
    this.sb = sb;
    this.errors = errors;
    this.executor = executor;
  }

  /** Adds {@code GET path} (Armeria path pattern, {@code {name}} for path parameters). */
  public Routes get(String path, Endpoint endpoint) {
    sb.route().get(path).build(service(endpoint, errors, executor));
    return this;
  }

  public static HttpService service(Endpoint endpoint, ErrorRenderer errors, Executor executor) {
    return (ServiceRequestContext ctx, HttpRequest req) -> HttpResponse.of(
        () -> handle(endpoint, errors, ctx), executor);
  }

  static HttpResponse handle(Endpoint endpoint, ErrorRenderer errors, ServiceRequestContext ctx) {
    try {
      return serve(endpoint, errors, ctx);
    } finally {
      ctx.addAdditionalResponseHeader(SERVER_TIMING, serverTiming(ctx));
    }
  }

  static final String SERVER_TIMING = "server-timing";

  /**
   * The W3C Server-Timing header of an answer: milliseconds from the request's arrival to its
   * answer being ready (the wait for a blocking-task thread included, the network not), which
   * browsers' developer tools show and benchmarks read to tell server time from client time.
   */
  static String serverTiming(ServiceRequestContext ctx) {
    long start = ctx.log().partial().requestStartTimeNanos();
    double millis = (System.nanoTime() - start) / 1e6;
    return "app;dur=" + String.format(java.util.Locale.ROOT, "%.3f", millis);
  }

  private static HttpResponse serve(Endpoint endpoint, ErrorRenderer errors,
      ServiceRequestContext ctx) {
    try {
      return endpoint.serve(ctx, new Params(ctx.queryParams()));
    } catch (BadParameterException e) {
      return errors.render(ctx, HttpStatus.BAD_REQUEST, e.parameter(), e.getMessage());
    } catch (UnsupportedQueryException e) {
      String message = "this storage backend cannot answer this query: " + e.getMessage()
          + (e.capability() == null ? "" : " (needs capability " + e.capability() + ")");
      return errors.render(ctx, HttpStatus.BAD_REQUEST, null, message);
    } catch (NotFoundException e) {
      return errors.render(ctx, HttpStatus.NOT_FOUND, null, e.getMessage());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("storage failed serving {}", ctx.path(), e);
      return errors.render(ctx, HttpStatus.SERVICE_UNAVAILABLE, null,
          "storage failed: " + e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      LOG.error("internal error serving {}", ctx.path(), e);
      return errors.render(ctx, HttpStatus.INTERNAL_SERVER_ERROR, null, "internal error: " + e);
    }
  }

  /** A path parameter; Armeria has already percent-decoded it. */
  public static String pathParam(ServiceRequestContext ctx, String name) {
    String v = ctx.pathParam(name);
    if (v == null || v.isEmpty()) throw new BadParameterException(name, "is required");
    return v;
  }
}
