package dev.spanwise.ui;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ServerCacheControl;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;
import java.net.URL;
import java.util.List;

/**
 * Serves the Spanwise web app from the classpath at {@code /} of an Armeria server (the query
 * port, 16686, in the all-in-one).
 *
 * <ul>
 *   <li>{@code /assets/**}: Vite's content-hashed files, cached for a year as immutable;
 *   <li>other files at the top of the app ({@code /favicon.svg}): served, revalidated each time;
 *   <li>any other {@code GET} of a path without a file extension ({@code /trace/abc},
 *       {@code /search?service=x}, {@code /map}): {@code index.html}, so deep links work;
 *   <li>{@code /api/**}, {@code /health}, {@code /ready}, {@code /metrics}: never answered by the
 *       UI (a 404 when no other service took them), so the app cannot shadow the APIs.
 * </ul>
 *
 * <p>Every response carries a {@code Content-Security-Policy} that forbids inline and foreign
 * scripts, {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer}.
 *
 * <p>The app is the output of the module's Vite build. A jar built with {@code -Dskip.ui.build}
 * carries none; then every UI path answers 404 with a note saying so.
 */
public final class SpanwiseUi {

  /** Where the Maven build puts the Vite output inside the jar. */
  static final String DEFAULT_CLASSPATH_ROOT = "dev/spanwise/ui/static";

  /** The Content-Security-Policy sent with every UI response. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private static final List<String> RESERVED_PREFIXES = List.of("/api/");
  private static final List<String> RESERVED_PATHS = List.of("/api", "/health", "/ready", "/metrics");

  private final ClassLoader classLoader;
  private final String classpathRoot;

  /** The app packaged in this module's jar. */
  public SpanwiseUi() {
    this(SpanwiseUi.class.getClassLoader(), DEFAULT_CLASSPATH_ROOT);
  }

  SpanwiseUi(ClassLoader classLoader, String classpathRoot) {
    this.classLoader = requireNonNull(classLoader, "classLoader");
    this.classpathRoot = requireNonNull(classpathRoot, "classpathRoot");
    if (classpathRoot.isEmpty() || classpathRoot.startsWith("/") || classpathRoot.endsWith("/")) {
      throw new IllegalArgumentException(
          "classpathRoot must be a relative resource path without a trailing slash: "
              + classpathRoot);
    }
  }

  /** Whether the jar carries a built app ({@code index.html}). */
  public boolean isBuilt() {
    return classLoader.getResource(classpathRoot + "/index.html") != null;
  }

  /** Adds the UI's routes under {@code /}. Other services' exact and longer-prefix routes win. */
  public void configure(ServerBuilder sb) {
    requireNonNull(sb, "sb");
    HttpService assets =
        FileService.builder(classLoader, classpathRoot + "/assets")
            .cacheControl(ServerCacheControl.IMMUTABLE)
            .serveCompressedFiles(true)
            .build()
            .orElse(notFound());
    HttpService topFiles =
        FileService.builder(classLoader, classpathRoot)
            .cacheControl(ServerCacheControl.REVALIDATED)
            .serveCompressedFiles(true)
            .autoIndex(false)
            .build()
            .orElse(notFound());
    HttpService index = indexService();
    HttpService app =
        (ctx, req) -> {
          String path = ctx.path();
          if (isReserved(path)) {
            return notFound().serve(ctx, req);
          }
          if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
          }
          if ("/".equals(path) || "/index.html".equals(path) || !hasExtension(path)) {
            return index.serve(ctx, req);
          }
          return topFiles.serve(ctx, req);
        };
    sb.serviceUnder("/assets/", withSecurityHeaders(assets));
    sb.serviceUnder("/", withSecurityHeaders(app));
  }

  private HttpService indexService() {
    URL url = classLoader.getResource(classpathRoot + "/index.html");
    if (url == null) {
      return (ctx, req) ->
          HttpResponse.of(
              HttpStatus.NOT_FOUND,
              MediaType.PLAIN_TEXT_UTF_8,
              "The Spanwise UI is not in this build (it was built with -Dskip.ui.build). "
                  + "The APIs are under /api/.");
    }
    return HttpFile.builder(classLoader, classpathRoot + "/index.html")
        .cacheControl(ServerCacheControl.REVALIDATED)
        .contentType(MediaType.HTML_UTF_8)
        .build()
        .asService();
  }

  private static HttpService notFound() {
    return (ctx, req) -> HttpResponse.of(HttpStatus.NOT_FOUND);
  }

  private static HttpService withSecurityHeaders(HttpService service) {
    return service.decorate(
        (delegate, ctx, req) -> {
          ctx.setAdditionalResponseHeader("content-security-policy", CONTENT_SECURITY_POLICY);
          ctx.setAdditionalResponseHeader("x-content-type-options", "nosniff");
          ctx.setAdditionalResponseHeader("referrer-policy", "no-referrer");
          return delegate.serve(ctx, req);
        });
  }

  static boolean isReserved(String path) {
    if (RESERVED_PATHS.contains(path)) {
      return true;
    }
    for (String prefix : RESERVED_PREFIXES) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  static boolean hasExtension(String path) {
    int slash = path.lastIndexOf('/');
    return path.indexOf('.', slash + 1) >= 0;
  }

  @Override
  public String toString() {
    return "SpanwiseUi{" + classpathRoot + (isBuilt() ? "" : ", not built") + "}";
  }
}
