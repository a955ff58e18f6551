package dev.spanwise.sampling;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.spanwise.sampling.internal.SamplingMetrics;
import dev.spanwise.sampling.internal.StrategyJson;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jaeger's HTTP sampling endpoints, as the Jaeger agent and collector serve them on 5778:
 *
 * <ul>
 *   <li>{@code GET /sampling?service=NAME}: the strategy in protobuf JSON ({@code
 *       "strategyType":"PROBABILISTIC"}), read by the OpenTelemetry remote samplers and newer
 *       clients;
 *   <li>{@code GET /?service=NAME}: the legacy Thrift JSON ({@code "strategyType":0}), read by
 *       the Jaeger clients (jaeger-client-java asks {@code http://host:5778/?service=NAME}).
 * </ul>
 *
 * <p>{@code service} must be given exactly once, otherwise 400 with Jaeger's message; a method
 * other than GET or HEAD is answered 405.
 */
public final class SamplingHttpService {
  private static final Logger logger = LoggerFactory.getLogger(SamplingHttpService.class);

  /** Jaeger's answer, byte for byte, when {@code service} is missing or repeated. */
  static final String SERVICE_REQUIRED = "'service' parameter must be provided once\n";

  private final SamplingStrategies strategies;
  private final SamplingMetrics metrics;

  SamplingHttpService(SamplingStrategies strategies, SamplingMetrics metrics) {
    this.strategies = strategies;
    this.metrics = metrics;
  }

  /** Adds {@code /sampling} and {@code /} to {@code sb}. */
  public ServerBuilder configure(ServerBuilder sb) {
    return sb.service("/sampling", endpoint(false)).service("/", endpoint(true));
  }

  /** The {@code /sampling} endpoint alone, to mount elsewhere. */
  public HttpService samplingEndpoint() {
    return endpoint(false);
  }

  private HttpService endpoint(boolean legacy) {
    String protocol = legacy ? "http_legacy" : "http";
    return (ctx, req) -> serve(ctx, req, legacy, protocol);
  }

  private HttpResponse serve(
      ServiceRequestContext ctx, HttpRequest req, boolean legacy, String protocol) {
    HttpMethod method = req.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      metrics.request(protocol, "method_not_allowed");
      return HttpResponse.of(
          ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
              .add(HttpHeaderNames.ALLOW, "GET, HEAD")
              .contentType(MediaType.PLAIN_TEXT_UTF_8)
              .build(),
          HttpData.ofUtf8(
              "method " + method + " not allowed; use GET\n"));
    }
    String query = ctx.query();
    List<String> services =
        query == null ? List.of() : QueryParams.fromQueryString(query).getAll("service");
    if (services.size() != 1) {
      metrics.request(protocol, "invalid");
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, SERVICE_REQUIRED);
    }
    String body;
    try {
      SamplingStrategy strategy = strategies.strategyFor(services.get(0));
      body = legacy ? StrategyJson.renderLegacy(strategy) : StrategyJson.render(strategy);
    } catch (RuntimeException e) {
      metrics.request(protocol, "error");
      logger.warn("Cannot answer a sampling strategy request", e);
      return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8,
          "cannot compute the sampling strategy\n");
    }
    metrics.request(protocol, "ok");
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, body);
  }
}
