package dev.spanwise.sampling.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spanwise.sampling.OperationStrategies;
import dev.spanwise.sampling.SamplingStrategy;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses Jaeger's strategies file ({@code --sampling.strategies-file}):
 *
 * <pre>{@code
 * {"service_strategies": [{"service": "foo", "type": "probabilistic", "param": 0.8,
 *                          "operation_strategies": [{"operation": "op1", "type": "probabilistic", "param": 0.2}]}],
 *  "default_strategy": {"type": "probabilistic", "param": 0.5,
 *                       "operation_strategies": [{"operation": "/health", "type": "probabilistic", "param": 0.0}]}}
 * }</pre>
 *
 * <p>Resolution follows Jaeger's static strategy store: no {@code default_strategy} means
 * probabilistic 0.001; a service's {@code operation_strategies} get the service's probability
 * as their default (0.001 when the service is rate limited) and the default strategy's operations
 * they do not name; a probabilistic service without operation strategies inherits the default's
 * operation strategies with its own probability as their default; a rate-limited operation
 * strategy is skipped with a warning (clients only support probabilistic ones).
 *
 * <p>Unlike Jaeger, which logs and falls back, a wrong type, a missing or unknown strategy type or
 * a parameter out of range is an {@link IllegalArgumentException} whose one-line message names
 * the field, e.g. {@code service_strategies[1].param: ...}.
 */
public final class StrategiesFileParser {
  private static final Logger logger = LoggerFactory.getLogger(StrategiesFileParser.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Jaeger's {@code defaultSamplingProbability}, used where the file gives none. */
  public static final double DEFAULT_SAMPLING_PROBABILITY = 0.001;

  private static final Set<String> TOP_LEVEL = Set.of("default_strategy", "service_strategies");
  private static final Set<String> SERVICE_FIELDS =
      Set.of("service", "type", "param", "operation_strategies");
  private static final Set<String> OPERATION_FIELDS = Set.of("operation", "type", "param");

  private StrategiesFileParser() {}

  public static FileStrategies parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      throw new IllegalArgumentException("not valid JSON: "
          + (message == null ? "" : message.replace('\n', ' '))
          + " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("empty file; expected a JSON object");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object at the top level");
    }
    warnUnknown(root, TOP_LEVEL, "");

    SamplingStrategy defaultStrategy =
        SamplingStrategy.probabilistic(DEFAULT_SAMPLING_PROBABILITY);
    JsonNode defaultNode = root.get("default_strategy");
    if (defaultNode != null && !defaultNode.isNull()) {
      defaultStrategy = serviceStrategy(defaultNode, "default_strategy", false);
    }
    OperationStrategies defaultOperations = defaultStrategy.operationSampling();

    Map<String, SamplingStrategy> services = new LinkedHashMap<>();
    JsonNode list = root.get("service_strategies");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new IllegalArgumentException("service_strategies: expected an array");
      }
      for (int i = 0; i < list.size(); i++) {
        String path = "service_strategies[" + i + "]";
        JsonNode node = list.get(i);
        SamplingStrategy strategy = serviceStrategy(node, path, true);
        String service = node.get("service").asText();
        services.put(service, mergeDefaults(strategy, defaultOperations));
      }
    }
    return new FileStrategies(defaultStrategy, services);
  }

  private static SamplingStrategy mergeDefaults(
      SamplingStrategy strategy, OperationStrategies defaultOperations) {
    if (defaultOperations == null) return strategy;
    OperationStrategies own = strategy.operationSampling();
    if (own == null) {
      if (strategy.samplingRate() == null) return strategy;
      return strategy.withOperationSampling(defaultOperations.toBuilder()
          .defaultSamplingProbability(strategy.samplingRate())
          .build());
    }
    if (defaultOperations.probabilities().isEmpty()) return strategy;
    OperationStrategies.Builder merged = own.toBuilder();
    defaultOperations.probabilities().forEach(merged::putIfAbsent);
    return strategy.withOperationSampling(merged.build());
  }

  private static SamplingStrategy serviceStrategy(JsonNode node, String path, boolean named) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + ": expected an object");
    }
    warnUnknown(node, SERVICE_FIELDS, path + ".");
    if (named) {
      JsonNode service = node.get("service");
      if (service == null || !service.isTextual() || service.asText().isEmpty()) {
        throw new IllegalArgumentException(path + ".service: expected a non-empty string");
      }
    }
    SamplingStrategy strategy = strategy(node, path);
    JsonNode operations = node.get("operation_strategies");
    if (operations == null || operations.isNull()) return strategy;
    if (!operations.isArray()) {
      throw new IllegalArgumentException(path + ".operation_strategies: expected an array");
    }
    if (operations.isEmpty()) return strategy;
    OperationStrategies.Builder builder = OperationStrategies.builder()
        .defaultSamplingProbability(strategy.samplingRate() != null
            ? strategy.samplingRate()
            : DEFAULT_SAMPLING_PROBABILITY);
    for (int i = 0; i < operations.size(); i++) {
      String opPath = path + ".operation_strategies[" + i + "]";
      JsonNode op = operations.get(i);
      if (!op.isObject()) {
        throw new IllegalArgumentException(opPath + ": expected an object");
      }
      warnUnknown(op, OPERATION_FIELDS, opPath + ".");
      JsonNode name = op.get("operation");
      if (name == null || !name.isTextual()) {
        throw new IllegalArgumentException(opPath + ".operation: expected a string");
      }
      SamplingStrategy opStrategy = strategy(op, opPath);
      if (opStrategy.samplingRate() == null) {
        logger.warn("{}: operation strategies can only be probabilistic; '{}' is skipped and "
            + "sampled with the service's default probability", opPath, name.asText());
        continue;
      }
      builder.put(name.asText(), opStrategy.samplingRate());
    }
    return strategy.withOperationSampling(builder.build());
  }

  private static SamplingStrategy strategy(JsonNode node, String path) {
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new IllegalArgumentException(
          path + ".type: expected \"probabilistic\" or \"ratelimiting\"");
    }
    JsonNode param = node.get("param");
    if (param == null || !param.isNumber()) {
      throw new IllegalArgumentException(path + ".param: expected a number");
    }
    double value = param.asDouble();
    switch (type.asText()) {
      case "probabilistic":
        if (!(value >= 0 && value <= 1)) {
          throw new IllegalArgumentException(path
              + ".param: a probabilistic strategy needs a probability in [0, 1], was " + value);
        }
        return SamplingStrategy.probabilistic(value);
      case "ratelimiting":
        if (!(value >= 0 && value <= Integer.MAX_VALUE)) {
          throw new IllegalArgumentException(path
              + ".param: a ratelimiting strategy needs traces per second >= 0, was " + value);
        }
        return SamplingStrategy.rateLimiting((int) value);
      default:
        throw new IllegalArgumentException(path + ".type: expected \"probabilistic\" or "
            + "\"ratelimiting\", was \"" + type.asText() + "\"");
    }
  }

  private static void warnUnknown(JsonNode node, Set<String> known, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        logger.warn("Sampling strategies file: unknown field {}{} ignored (known: {})",
            prefix, field, List.copyOf(known));
      }
    }
  }
}
