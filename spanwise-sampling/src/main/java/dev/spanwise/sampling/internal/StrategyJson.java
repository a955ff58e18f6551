package dev.spanwise.sampling.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.spanwise.sampling.OperationStrategies;
import dev.spanwise.sampling.SamplingStrategy;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Renders a strategy as Jaeger's HTTP sampling endpoints do.
 *
 * <p>{@link #render} is the {@code /sampling} form: the proto message in protobuf JSON with
 * defaults emitted ({@code "strategyType":"PROBABILISTIC"} included) and absent strategies left
 * out, e.g. {@code {"strategyType":"RATE_LIMITING","rateLimitingSampling":{"maxTracesPerSecond":42}}}.
 *
 * <p>{@link #renderLegacy} is the {@code /} form that old clients (jaeger-client-java among them)
 * read: Jaeger's Thrift struct through Go's JSON encoder, so {@code strategyType} is the enum's
 * number, e.g. {@code {"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":42}}}.
 *
 * <p>Numbers are written the way Go writes a float64: {@code 1}, {@code 0.5}, {@code 0.001},
 * {@code 1e-07}.
 */
public final class StrategyJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private StrategyJson() {}

  public static String render(SamplingStrategy strategy) {
    return write(strategy, false);
  }

  public static String renderLegacy(SamplingStrategy strategy) {
    return write(strategy, true);
  }

  /** Writes {@code strategy} as a JSON object into an open generator (used by our own API). */
  public static void write(JsonGenerator g, SamplingStrategy strategy, boolean legacy)
      throws IOException {
    g.writeStartObject();
    if (legacy) {
      g.writeNumberField("strategyType", strategy.type().number());
    } else {
      g.writeStringField("strategyType", strategy.type().name());
    }
    if (strategy.samplingRate() != null) {
      g.writeObjectFieldStart("probabilisticSampling");
      number(g, "samplingRate", strategy.samplingRate());
      g.writeEndObject();
    }
    if (strategy.maxTracesPerSecond() != null) {
      g.writeObjectFieldStart("rateLimitingSampling");
      g.writeNumberField("maxTracesPerSecond", strategy.maxTracesPerSecond());
      g.writeEndObject();
    }
    OperationStrategies ops = strategy.operationSampling();
    if (ops != null) {
      g.writeObjectFieldStart("operationSampling");
      number(g, "defaultSamplingProbability", ops.defaultSamplingProbability());
      number(g, "defaultLowerBoundTracesPerSecond", ops.defaultLowerBoundTracesPerSecond());
      g.writeArrayFieldStart("perOperationStrategies");
      for (Map.Entry<String, Double> op : ops.probabilities().entrySet()) {
        g.writeStartObject();
        g.writeStringField("operation", op.getKey());
        g.writeObjectFieldStart("probabilisticSampling");
        number(g, "samplingRate", op.getValue());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      if (!legacy || ops.defaultUpperBoundTracesPerSecond() != 0) {
        number(g, "defaultUpperBoundTracesPerSecond", ops.defaultUpperBoundTracesPerSecond());
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static String write(SamplingStrategy strategy, boolean legacy) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, strategy, legacy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void number(JsonGenerator g, String field, double value) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(goFloat(value));
  }

  /** A float64 as Go's encoding/json writes it: plain unless tiny or huge, shortest digits. */
  static String goFloat(double value) {
    if (value == 0) return "0";
    double abs = Math.abs(value);
    if (abs < 1e-6 || abs >= 1e21) {
      String s = Double.toString(value).replace("E", "e"); // shortest digits, e.g. 1.0e-7
      int e = s.indexOf('e');
      String mantissa = s.substring(0, e);
      String exponent = s.substring(e + 1);
      if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
      boolean negative = exponent.startsWith("-");
      String digits = negative ? exponent.substring(1) : exponent;
      if (digits.length() < 2) digits = "0" + digits;
      return mantissa + "e" + (negative ? "-" : "+") + digits;
    }
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }
}
