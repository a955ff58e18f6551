package dev.spanwise.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpanwiseUiTest {

  private static final String TEST_ROOT = "dev/spanwise/ui/testapp";

  /** One server with the test app and the stand-in APIs, shared by the tests that only read. */
  private static Server shared;
  private static BlockingWebClient sharedClient;

  private Server server;

  @BeforeAll
  static void startShared() {
    shared = build(testUi(), true);
    shared.start().join();
    sharedClient = BlockingWebClient.of("http://127.0.0.1:" + shared.activeLocalPort());
  }

  @AfterAll
  static void stopShared() {
    shared.stop().join();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop().join();
    }
  }

  private static Server build(SpanwiseUi ui, boolean apiFirst) {
    ServerBuilder sb = Server.builder().http(new InetSocketAddress("127.0.0.1", 0))
        .gracefulShutdownTimeoutMillis(0, 0);
    if (apiFirst) {
      addApi(sb);
      ui.configure(sb);
    } else {
      ui.configure(sb);
      addApi(sb);
    }
    return sb.build();
  }

  private BlockingWebClient start(SpanwiseUi ui, boolean apiFirst) {
    if (ui == null && apiFirst) {
      return sharedClient;
    }
    server = build(ui == null ? testUi() : ui, apiFirst);
    server.start().join();
    return BlockingWebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  /** Stand-ins for the query API and the admin routes that share the query port. */
  private static void addApi(ServerBuilder sb) {
    sb.service("/api/spanwise/services", (ctx, req) ->
        HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"services\":[]}"));
    sb.serviceUnder("/api/v3/", (ctx, req) ->
        HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"v3\":true}"));
    sb.service("/health", (ctx, req) -> HttpResponse.of("ok"));
  }

  private static SpanwiseUi testUi() {
    return new SpanwiseUi(SpanwiseUiTest.class.getClassLoader(), TEST_ROOT);
  }

  @Test
  void rootServesIndexHtmlWithSecurityHeaders() {
    BlockingWebClient client = start(null, true);
    AggregatedHttpResponse res = client.get("/");
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(res.contentType().is(MediaType.HTML_UTF_8)).isTrue();
    assertThat(res.contentUtf8()).contains("Spanwise test app");
    String csp = res.headers().get("content-security-policy");
    assertThat(csp).contains("script-src 'self'").contains("object-src 'none'")
        .contains("frame-ancestors 'none'").doesNotContain("unsafe-eval");
    assertThat(csp.substring(csp.indexOf("script-src"))).startsWith("script-src 'self';");
    assertThat(res.headers().get("x-content-type-options")).isEqualTo("nosniff");
    assertThat(res.headers().get("cache-control")).contains("no-cache");
  }

  @Test
  void hashedAssetIsServedAsImmutable() {
    BlockingWebClient client = start(null, true);
    AggregatedHttpResponse res = client.get("/assets/app-3f9a1c.js");
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(res.contentUtf8()).contains("spanwise test asset");
    assertThat(res.contentType().subtype()).isEqualTo("javascript");
    assertThat(res.headers().get("cache-control")).contains("immutable");
    assertThat(res.headers().get("content-security-policy"))
        .isEqualTo(SpanwiseUi.CONTENT_SECURITY_POLICY);
    assertThat(res.headers().get("x-content-type-options")).isEqualTo("nosniff");
  }

  @Test
  void topLevelFileIsServed() {
    BlockingWebClient client = start(null, true);
    AggregatedHttpResponse res = client.get("/favicon.svg");
    assertThat(res.status()).isEqualTo(HttpStatus.OK);
    assertThat(res.contentUtf8()).contains("<svg");
  }

  @Test
  void deepLinksFallBackToIndexHtml() {
    BlockingWebClient client = start(null, true);
    for (String path : new String[] {
        "/trace/4bf92f3577b34da6a3ce929d0e0e4736", "/search?service=frontend&limit=20",
        "/map", "/index.html"}) {
      AggregatedHttpResponse res = client.get(path);
      assertThat(res.status()).as(path).isEqualTo(HttpStatus.OK);
      assertThat(res.contentUtf8()).as(path).contains("Spanwise test app");
      assertThat(res.headers().get("content-security-policy")).as(path).isNotNull();
    }
  }

  @Test
  void missingFilesAreNotFoundNotIndexHtml() {
    BlockingWebClient client = start(null, true);
    assertThat(client.get("/assets/missing-123.js").status()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(client.get("/missing.css").status()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void apiAndAdminRoutesAreNotTakenByTheUi() {
    for (boolean apiFirst : new boolean[] {true, false}) {
      BlockingWebClient client = start(null, apiFirst);
      AggregatedHttpResponse services = client.get("/api/spanwise/services");
      assertThat(services.contentUtf8()).as("apiFirst=%s", apiFirst).isEqualTo("{\"services\":[]}");
      assertThat(client.get("/api/v3/traces").contentUtf8()).isEqualTo("{\"v3\":true}");
      assertThat(client.get("/health").contentUtf8()).isEqualTo("ok");

      AggregatedHttpResponse unknownApi = client.get("/api/anything");
      assertThat(unknownApi.status()).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(unknownApi.contentUtf8()).doesNotContain("Spanwise test app");
      assertThat(client.get("/api").status()).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(client.get("/metrics").status()).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(client.get("/ready").status()).isEqualTo(HttpStatus.NOT_FOUND);
      stop();
      server = null;
    }
  }

  @Test
  void onlyGetAndHeadAreServed() {
    BlockingWebClient client = start(null, true);
    AggregatedHttpResponse res =
        client.execute(HttpRequest.of(HttpMethod.POST, "/trace/abc", MediaType.PLAIN_TEXT, "x"));
    assertThat(res.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
  }

  @Test
  void unbuiltUiAnswersNotFoundWithANote() {
    SpanwiseUi ui = new SpanwiseUi(SpanwiseUiTest.class.getClassLoader(), "dev/spanwise/ui/none");
    assertThat(ui.isBuilt()).isFalse();
    BlockingWebClient client = start(ui, true);
    AggregatedHttpResponse res = client.get("/trace/abc");
    assertThat(res.status()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(res.contentUtf8()).contains("skip.ui.build");
    assertThat(client.get("/api/spanwise/services").status()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void rejectsBadClasspathRoot() {
    ClassLoader cl = SpanwiseUiTest.class.getClassLoader();
    assertThatThrownBy(() -> new SpanwiseUi(cl, "/abs")).hasMessageContaining("classpathRoot");
    assertThatThrownBy(() -> new SpanwiseUi(cl, "x/")).hasMessageContaining("classpathRoot");
    assertThatThrownBy(() -> new SpanwiseUi(null, "x")).hasMessageContaining("classLoader");
  }

  @Test
  void pathHelpers() {
    assertThat(SpanwiseUi.hasExtension("/assets/a.js")).isTrue();
    assertThat(SpanwiseUi.hasExtension("/trace/abc")).isFalse();
    assertThat(SpanwiseUi.hasExtension("/a.b/c")).isFalse();
    assertThat(SpanwiseUi.isReserved("/api/x")).isTrue();
    assertThat(SpanwiseUi.isReserved("/apis")).isFalse();
    assertThat(SpanwiseUi.isReserved("/healthy")).isFalse();
  }
}
