package dev.spanwise.tracer.internal;

import dev.spanwise.tracer.Attributes;
import dev.spanwise.tracer.SpanLimits;
import dev.spanwise.tracer.Tracer;
import dev.spanwise.tracer.TracerBuilder;
import dev.spanwise.tracer.export.BatchSpanProcessor;
import dev.spanwise.tracer.export.LoggingSpanExporter;
import dev.spanwise.tracer.export.OtlpHttpSpanExporter;
import dev.spanwise.tracer.export.SimpleSpanProcessor;
import dev.spanwise.tracer.propagation.TextMapPropagator;
import dev.spanwise.tracer.sampling.JaegerRemoteSampler;
import dev.spanwise.tracer.sampling.Sampler;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Reads the OpenTelemetry SDK variables and the Jaeger client variables (the OTEL_ value winning
 * when both are set). Each bad value adds one warning naming the variable, logged once, and the
 * default is used instead.
 */
public final class EnvironmentConfig {
  private static final Logger LOG = Logger.getLogger(EnvironmentConfig.class.getName());
  static final String DEFAULT_ENDPOINT = "http://localhost:4318";
  static final String DEFAULT_JAEGER_SAMPLING_ENDPOINT = "http://localhost:5778/sampling";

  private final Map<String, String> env;
  private final List<String> warnings = new ArrayList<>();

  boolean disabled;
  String serviceName;
  final Map<String, String> resourceAttributes = new LinkedHashMap<>();
  String exporter = "otlp";
  String endpoint;
  final Map<String, String> headers = new LinkedHashMap<>();
  String compression = "none";
  Duration exportTimeout = Duration.ofSeconds(10);
  Sampler sampler;
  TextMapPropagator propagator;
  Duration scheduleDelay = Duration.ofMillis(5000);
  Duration bspExportTimeout = Duration.ofMillis(30000);
  int maxQueueSize = 2048;
  int maxExportBatchSize = 512;
  SpanLimits limits;

  private EnvironmentConfig(Map<String, String> env) {
    this.env = env;
  }

  /** The process environment with {@code otel.*} / {@code jaeger.*} system properties on top. */
  public static Map<String, String> processEnvironment() {
    Map<String, String> merged = new HashMap<>(System.getenv());
    Properties properties = System.getProperties();
    for (String name : properties.stringPropertyNames()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("otel.") || lower.startsWith("jaeger.")) {
        merged.put(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'),
            properties.getProperty(name));
      }
    }
    return merged;
  }

  public static EnvironmentConfig parse(Map<String, String> env) {
    EnvironmentConfig config = new EnvironmentConfig(env == null ? Collections.emptyMap() : env);
    config.read();
    for (String warning : config.warnings) {
      LOG.warning(warning);
    }
    return config;
  }

  /** The warnings produced while reading, one per bad variable. */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  public String endpoint() {
    return endpoint;
  }

  public Sampler sampler() {
    return sampler;
  }

  public TextMapPropagator propagator() {
    return propagator;
  }

  public String serviceName() {
    return serviceName;
  }

  public Map<String, String> resourceAttributes() {
    return Collections.unmodifiableMap(resourceAttributes);
  }

  public Map<String, String> headers() {
    return Collections.unmodifiableMap(headers);
  }

  public String compression() {
    return compression;
  }

  public Duration exportTimeout() {
    return exportTimeout;
  }

  public boolean disabled() {
    return disabled;
  }

  public String exporter() {
    return exporter;
  }

  public SpanLimits limits() {
    return limits;
  }

  public int maxQueueSize() {
    return maxQueueSize;
  }

  public int maxExportBatchSize() {
    return maxExportBatchSize;
  }

  public Duration scheduleDelay() {
    return scheduleDelay;
  }

  private String get(String name) {
    String value = env.get(name);
    if (value == null) {
      return null;
    }
    value = value.trim();
    return value.isEmpty() ? null : value;
  }

  private void warn(String variable, String value, String problem, String fallback) {
    warnings.add("Ignoring " + variable + "=" + value + ": " + problem + "; using " + fallback);
  }

  private void read() {
    String disabledValue = get("OTEL_SDK_DISABLED");
    if (disabledValue != null) {
      if (disabledValue.equalsIgnoreCase("true")) {
        disabled = true;
      } else if (!disabledValue.equalsIgnoreCase("false")) {
        warn("OTEL_SDK_DISABLED", disabledValue, "expected true or false", "false");
      }
    }

    // resource: JAEGER_TAGS first, OTEL_RESOURCE_ATTRIBUTES wins
    readKeyValues("JAEGER_TAGS", resourceAttributes, false);
    readKeyValues("OTEL_RESOURCE_ATTRIBUTES", resourceAttributes, true);
    serviceName = get("OTEL_SERVICE_NAME");
    if (serviceName == null) {
      serviceName = resourceAttributes.get("service.name");
    }
    if (serviceName == null) {
      serviceName = get("JAEGER_SERVICE_NAME");
    }

    String exporterValue = get("OTEL_TRACES_EXPORTER");
    if (exporterValue != null) {
      String e = exporterValue.toLowerCase(Locale.ROOT);
      if (e.equals("otlp") || e.equals("none")) {
        exporter = e;
      } else if (e.equals("console") || e.equals("logging")) {
        exporter = "logging";
      } else {
        warn("OTEL_TRACES_EXPORTER", exporterValue, "supported values are otlp, console, logging, none", "otlp");
      }
    }

    readEndpoint();
    readKeyValues("OTEL_EXPORTER_OTLP_HEADERS", headers, true);
    readKeyValues("OTEL_EXPORTER_OTLP_TRACES_HEADERS", headers, true);
    readCompression();
    Duration timeout = readMillis("OTEL_EXPORTER_OTLP_TIMEOUT", exportTimeout, false);
    exportTimeout = readMillis("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", timeout, false);
    for (String name : new String[] {"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"}) {
      String protocol = get(name);
      if (protocol != null && !protocol.equals("http/protobuf")) {
        warn(name, protocol, "only http/protobuf is supported", "http/protobuf");
      }
    }

    sampler = readSampler();
    propagator = readPropagators();

    scheduleDelay = readMillis("OTEL_BSP_SCHEDULE_DELAY", scheduleDelay, true);
    bspExportTimeout = readMillis("OTEL_BSP_EXPORT_TIMEOUT", bspExportTimeout, true);
    maxQueueSize = readInt("OTEL_BSP_MAX_QUEUE_SIZE", maxQueueSize, 1);
    maxExportBatchSize = readInt("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", maxExportBatchSize, 1);
    if (maxExportBatchSize > maxQueueSize) {
      warn("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", String.valueOf(maxExportBatchSize),
          "larger than OTEL_BSP_MAX_QUEUE_SIZE " + maxQueueSize, String.valueOf(maxQueueSize));
      maxExportBatchSize = maxQueueSize;
    }

    SpanLimits defaults = SpanLimits.defaults();
    int valueLength = readInt("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", Integer.MAX_VALUE, 0);
    int count = readInt("OTEL_ATTRIBUTE_COUNT_LIMIT", defaults.maxAttributes(), 0);
    limits = SpanLimits.builder()
        .maxAttributeValueLength(readInt("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", valueLength, 0))
        .maxAttributes(readInt("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", count, 0))
        .maxEvents(readInt("OTEL_SPAN_EVENT_COUNT_LIMIT", defaults.maxEvents(), 0))
        .maxLinks(readInt("OTEL_SPAN_LINK_COUNT_LIMIT", defaults.maxLinks(), 0))
        .maxAttributesPerEvent(readInt("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", count, 0))
        .maxAttributesPerLink(readInt("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", count, 0))
        .build();
  }

  private void readEndpoint() {
    String traces = get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (traces != null) {
      if (isHttpUrl(traces)) {
        endpoint = traces;
        return;
      }
      warn("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", traces, "not an http(s) URL", "OTEL_EXPORTER_OTLP_ENDPOINT or " + DEFAULT_ENDPOINT);
    }
    String base = get("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (base != null && !isHttpUrl(base)) {
      warn("OTEL_EXPORTER_OTLP_ENDPOINT", base, "not an http(s) URL", DEFAULT_ENDPOINT);
      base = null;
    }
    if (base == null) {
      base = DEFAULT_ENDPOINT;
    }
    endpoint = base.endsWith("/") ? base + "v1/traces" : base + "/v1/traces";
  }

  private static boolean isHttpUrl(String value) {
    try {
      java.net.URL url = new java.net.URL(value);
      return (url.getProtocol().equals("http") || url.getProtocol().equals("https"))
          && url.getHost() != null && !url.getHost().isEmpty();
    } catch (java.net.MalformedURLException e) {
      return false;
    }
  }

  private void readCompression() {
    for (String name : new String[] {"OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"}) {
      String value = get(name);
      if (value == null) {
        continue;
      }
      String v = value.toLowerCase(Locale.ROOT);
      if (v.equals("gzip") || v.equals("none")) {
        compression = v;
      } else {
        warn(name, value, "expected gzip or none", compression);
      }
    }
  }

  private Duration readMillis(String name, Duration fallback, boolean allowZero) {
    String value = get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long millis = Long.parseLong(value);
      if (millis < 0 || (!allowZero && millis == 0)) {
        warn(name, value, "expected a positive number of milliseconds", fallback.toMillis() + " ms");
        return fallback;
      }
      return millis == 0 ? Duration.ofMillis(1) : Duration.ofMillis(millis);
    } catch (NumberFormatException e) {
      warn(name, value, "expected a number of milliseconds", fallback.toMillis() + " ms");
      return fallback;
    }
  }

  private int readInt(String name, int fallback, int min) {
    String value = get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min) {
        warn(name, value, "expected an integer >= " + min, String.valueOf(fallback));
        return fallback;
      }
      return parsed;
    } catch (NumberFormatException e) {
      warn(name, value, "expected an integer", String.valueOf(fallback));
      return fallback;
    }
  }

  /** {@code k=v,k2=v2}; values percent-decoded when {@code percentDecode}. */
  private void readKeyValues(String name, Map<String, String> into, boolean percentDecode) {
    String value = get(name);
    if (value == null) {
      return;
    }
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.trim().isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? "" : pair.substring(0, eq).trim();
      if (key.isEmpty()) {
        warn(name, value, "entry '" + pair.trim() + "' is not key=value", "no value from it");
        return;
      }
      String v = pair.substring(eq + 1).trim();
      if (percentDecode) {
        try {
          v = URLDecoder.decode(v.replace("+", "%2B"), "UTF-8");
        } catch (UnsupportedEncodingException | IllegalArgumentException e) {
          warn(name, value, "entry '" + pair.trim() + "' has bad percent-encoding", "no value from it");
          return;
        }
      }
      parsed.put(key, v);
    }
    into.putAll(parsed);
  }

  private Sampler readSampler() {
    Sampler fallback = Sampler.parentBased(Sampler.alwaysOn());
    String name = get("OTEL_TRACES_SAMPLER");
    if (name != null) {
      String arg = get("OTEL_TRACES_SAMPLER_ARG");
      switch (name.toLowerCase(Locale.ROOT)) {
        case "always_on":
          return Sampler.alwaysOn();
        case "always_off":
          return Sampler.alwaysOff();
        case "traceidratio":
          return Sampler.traceIdRatio(ratio("OTEL_TRACES_SAMPLER_ARG", arg));
        case "parentbased_always_on":
          return Sampler.parentBased(Sampler.alwaysOn());
        case "parentbased_always_off":
          return Sampler.parentBased(Sampler.alwaysOff());
        case "parentbased_traceidratio":
          return Sampler.parentBased(Sampler.traceIdRatio(ratio("OTEL_TRACES_SAMPLER_ARG", arg)));
        case "jaeger_remote":
          return otelRemoteSampler(arg);
        case "parentbased_jaeger_remote":
          return Sampler.parentBased(otelRemoteSampler(arg));
        default:
          warn("OTEL_TRACES_SAMPLER", name, "unknown sampler", "parentbased_always_on");
          return fallback;
      }
    }
    String type = get("JAEGER_SAMPLER_TYPE");
    if (type == null) {
      return fallback;
    }
    String param = get("JAEGER_SAMPLER_PARAM");
    switch (type.toLowerCase(Locale.ROOT)) {
      case "const":
        if (param == null || param.equals("1") || param.equalsIgnoreCase("true")) {
          return Sampler.parentBased(Sampler.alwaysOn());
        }
        if (param.equals("0") || param.equalsIgnoreCase("false")) {
          return Sampler.parentBased(Sampler.alwaysOff());
        }
        warn("JAEGER_SAMPLER_PARAM", param, "const sampler needs 0 or 1", "1");
        return Sampler.parentBased(Sampler.alwaysOn());
      case "probabilistic":
        return Sampler.parentBased(Sampler.traceIdRatio(ratio("JAEGER_SAMPLER_PARAM", param)));
      case "ratelimiting":
        return Sampler.parentBased(Sampler.rateLimiting(rate("JAEGER_SAMPLER_PARAM", param)));
      case "remote": {
        String endpoint = get("JAEGER_SAMPLING_ENDPOINT");
        if (endpoint == null) {
          endpoint = DEFAULT_JAEGER_SAMPLING_ENDPOINT;
        }
        double initial = param == null ? 0.001 : ratio("JAEGER_SAMPLER_PARAM", param);
        return Sampler.parentBased(JaegerRemoteSampler.builder(serviceNameOrDefault())
            .endpoint(endpoint).initialSampler(Sampler.traceIdRatio(initial)).build());
      }
      default:
        warn("JAEGER_SAMPLER_TYPE", type, "expected const, probabilistic, ratelimiting or remote", "parentbased_always_on");
        return fallback;
    }
  }

  private Sampler otelRemoteSampler(String arg) {
    String endpoint = "http://localhost:5778/sampling";
    long pollingMillis = 60_000;
    double initial = 0.001;
    if (arg != null) {
      for (String pair : arg.split(",")) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          warn("OTEL_TRACES_SAMPLER_ARG", arg, "expected endpoint=...,pollingIntervalMs=...,initialSamplingRate=...", "defaults");
          break;
        }
        String key = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        try {
          if (key.equals("endpoint")) {
            endpoint = value;
          } else if (key.equals("pollingIntervalMs")) {
            pollingMillis = Long.parseLong(value);
          } else if (key.equals("initialSamplingRate")) {
            initial = Double.parseDouble(value);
          }
        } catch (NumberFormatException e) {
          warn("OTEL_TRACES_SAMPLER_ARG", arg, "bad number for " + key, "its default");
        }
      }
    }
    if (!(initial >= 0 && initial <= 1)) {
      initial = 0.001;
    }
    return JaegerRemoteSampler.builder(serviceNameOrDefault()).endpoint(endpoint)
        .pollingInterval(Duration.ofMillis(Math.max(1, pollingMillis)))
        .initialSampler(Sampler.traceIdRatio(initial)).build();
  }

  private String serviceNameOrDefault() {
    return serviceName == null ? "unknown_service:java" : serviceName;
  }

  private double ratio(String name, String value) {
    if (value == null) {
      return 1.0;
    }
    try {
      double ratio = Double.parseDouble(value);
      if (ratio >= 0.0 && ratio <= 1.0) {
        return ratio;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    warn(name, value, "expected a ratio between 0 and 1", "1.0");
    return 1.0;
  }

  private double rate(String name, String value) {
    if (value == null) {
      return 1.0;
    }
    try {
      double rate = Double.parseDouble(value);
      if (rate >= 0.0 && !Double.isInfinite(rate)) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    warn(name, value, "expected traces per second >= 0", "1.0");
    return 1.0;
  }

  private TextMapPropagator readPropagators() {
    TextMapPropagator fallback = TextMapPropagator.composite(
        TextMapPropagator.w3cTraceContext(), TextMapPropagator.w3cBaggage());
    String name = "OTEL_PROPAGATORS";
    String value = get(name);
    if (value == null) {
      name = "JAEGER_PROPAGATION";
      value = get(name);
    }
    if (value == null) {
      return fallback;
    }
    List<TextMapPropagator> list = new ArrayList<>();
    for (String raw : value.split(",")) {
      String p = raw.trim().toLowerCase(Locale.ROOT);
      switch (p) {
        case "":
          break;
        case "tracecontext":
        case "w3c":
          list.add(TextMapPropagator.w3cTraceContext());
          if (name.equals("JAEGER_PROPAGATION")) {
            list.add(TextMapPropagator.w3cBaggage());
          }
          break;
        case "baggage":
          list.add(TextMapPropagator.w3cBaggage());
          break;
        case "b3":
          list.add(name.equals("JAEGER_PROPAGATION") ? TextMapPropagator.b3Multi() : TextMapPropagator.b3Single());
          break;
        case "b3multi":
          list.add(TextMapPropagator.b3Multi());
          break;
        case "jaeger":
          list.add(TextMapPropagator.jaeger());
          break;
        case "none":
          return TextMapPropagator.noop();
        default:
          warn(name, value, "unsupported propagator '" + p + "'", "the others listed");
      }
    }
    if (list.isEmpty()) {
      warn(name, value, "no supported propagator", "tracecontext,baggage");
      return fallback;
    }
    return TextMapPropagator.composite(list);
  }

  /** A tracer builder configured from what was read. */
  public TracerBuilder toBuilder() {
    TracerBuilder builder = Tracer.builder();
    Attributes.Builder attributes = Attributes.builder();
    for (Map.Entry<String, String> e : resourceAttributes.entrySet()) {
      attributes.put(e.getKey(), e.getValue());
    }
    builder.resourceAttributes(attributes.build());
    if (serviceName != null) {
      builder.serviceName(serviceName);
    }
    builder.propagator(propagator).spanLimits(limits);
    if (disabled) {
      return builder.sampler(Sampler.alwaysOff());
    }
    builder.sampler(sampler);
    if (exporter.equals("otlp")) {
      OtlpHttpSpanExporter.Builder otlp = OtlpHttpSpanExporter.builder()
          .endpoint(endpoint).compression(compression).timeout(exportTimeout);
      for (Map.Entry<String, String> h : headers.entrySet()) {
        otlp.addHeader(h.getKey(), h.getValue());
      }
      builder.addSpanProcessor(BatchSpanProcessor.builder(otlp.build())
          .scheduleDelay(scheduleDelay).exportTimeout(bspExportTimeout)
          .maxQueueSize(maxQueueSize).maxExportBatchSize(maxExportBatchSize).build());
    } else if (exporter.equals("logging")) {
      builder.addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()));
    }
    return builder;
  }
}
