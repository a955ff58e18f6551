package dev.spanwise.sampling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.spanwise.sampling.internal.AdaptiveProbabilities;
import dev.spanwise.sampling.internal.AdaptiveProbabilities.OperationSnapshot;
import dev.spanwise.sampling.internal.StrategyJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Our own API on the query port, for the UI and operators:
 *
 * <ul>
 *   <li>{@code GET /api/spanwise/sampling/strategies}: the mode (file or adaptive), the default
 *       strategy and every known service with its strategy, its source ({@code file}, {@code
 *       adaptive}, {@code default}) and, with adaptive sampling, each operation's probability
 *       and observed rates;
 *   <li>{@code GET /api/spanwise/sampling/strategies/{service}}: one service (an unknown one
 *       shows the default strategy it would be served).
 * </ul>
 *
 * <p>Strategies are rendered in Jaeger's {@code /sampling} JSON form.
 */
public final class SamplingQueryApi {
  public static final String PATH = "/api/spanwise/sampling/strategies";
  private static final JsonFactory FACTORY = new JsonFactory();

  private final SamplingStrategies strategies;

  SamplingQueryApi(SamplingStrategies strategies) {
    this.strategies = strategies;
  }

  public ServerBuilder configure(ServerBuilder sb) {
    return sb.service(PATH, all()).service(PATH + "/{service}", one());
  }

  private HttpService all() {
    return (ctx, req) -> {
      HttpResponse refused = refuseMethod(req);
      if (refused != null) return refused;
      return json(g -> {
        g.writeStartObject();
        writeMode(g);
        g.writeFieldName("default");
        StrategyJson.write(g, strategies.defaultStrategy(), false);
        g.writeArrayFieldStart("services");
        for (String service : strategies.knownServices()) {
          writeService(g, service);
        }
        g.writeEndArray();
        g.writeEndObject();
      });
    };
  }

  private HttpService one() {
    return (ServiceRequestContext ctx, HttpRequest req) -> {
      HttpResponse refused = refuseMethod(req);
      if (refused != null) return refused;
      String service = ctx.pathParam("service");
      if (service == null || service.isEmpty()) {
        return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.JSON_UTF_8,
            "{\"error\":\"service: a service name is required in the path\"}");
      }
      return json(g -> writeService(g, service));
    };
  }

  private void writeMode(JsonGenerator g) throws IOException {
    if (strategies.fromFile()) {
      g.writeStringField("mode", "file");
      g.writeStringField("strategiesFile", strategies.file().path().toString());
      String failure = strategies.file().lastFailure();
      if (failure != null) g.writeStringField("lastReloadError", failure);
      return;
    }
    AdaptiveOptions o = strategies.adaptive().options();
    g.writeStringField("mode", "adaptive");
    g.writeObjectFieldStart("adaptive");
    g.writeNumberField("targetTracesPerSecond", o.targetTracesPerSecond());
    g.writeNumberField("recomputeIntervalSeconds", o.recomputeInterval().toMillis() / 1000.0);
    g.writeNumberField("initialSamplingProbability", o.initialSamplingProbability());
    g.writeNumberField("minSamplingProbability", o.minSamplingProbability());
    g.writeNumberField("lowerBoundTracesPerSecond", o.lowerBoundTracesPerSecond());
    g.writeEndObject();
  }

  private void writeService(JsonGenerator g, String service) throws IOException {
    ResolvedStrategy resolved = strategies.resolve(service);
    g.writeStartObject();
    g.writeStringField("service", service);
    g.writeStringField("source", resolved.source().jsonName());
    g.writeFieldName("strategy");
    StrategyJson.write(g, resolved.strategy(), false);
    AdaptiveProbabilities adaptive = strategies.adaptive();
    if (adaptive != null) {
      g.writeArrayFieldStart("operations");
      for (OperationSnapshot op : adaptive.snapshot(service)) {
        g.writeStartObject();
        g.writeStringField("operation", op.operation());
        g.writeNumberField("probability", op.probability());
        g.writeNumberField("sampledTracesPerSecond", op.sampledTracesPerSecond());
        g.writeNumberField("estimatedTracesPerSecond", op.estimatedTracesPerSecond());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static HttpResponse refuseMethod(HttpRequest req) {
    if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) return null;
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
            .add(HttpHeaderNames.ALLOW, "GET, HEAD")
            .contentType(MediaType.JSON_UTF_8)
            .build(),
        HttpData.ofUtf8("{\"error\":\"method " + req.method() + " not allowed; use GET\"}"));
  }

  private interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  private static HttpResponse json(JsonBody body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, out.toString());
  }
}
