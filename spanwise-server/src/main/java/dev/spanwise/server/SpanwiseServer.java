package dev.spanwise.server;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The {@code spanwise} command: parses flags, starts the chosen role and runs until stopped. */
@Command(
    name = "spanwise",
    mixinStandardHelpOptions = true,
    version = "Spanwise 0.1.0-SNAPSHOT",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Spanwise all-in-one: OTLP (gRPC, HTTP), Zipkin and Jaeger (Thrift over HTTP and UDP, gRPC)",
      "receivers, durable embedded storage, and the Jaeger-, Zipkin- and Spanwise-compatible",
      "query APIs, in one process."
    })
public final class SpanwiseServer implements Callable<Integer> {

  /** What this process runs. Only the all-in-one exists so far. */
  enum Role {
    all_in_one
  }

  enum LogFormat {
    text,
    json
  }

  @Option(names = "--role", defaultValue = "all_in_one",
      description = "What this process runs: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Role role;

  @Option(names = "--bind-address", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address every port listens on (default: ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--listen-all",
      description = "Listen on all interfaces (0.0.0.0) instead of --bind-address.")
  boolean listenAll;

  @Option(names = "--otlp-grpc-port", defaultValue = "4317", paramLabel = "PORT",
      description = "OTLP/gRPC receiver port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int otlpGrpcPort;

  @Option(names = "--otlp-http-port", defaultValue = "4318", paramLabel = "PORT",
      description = "OTLP/HTTP receiver port (default: ${DEFAULT-VALUE}).")
  int otlpHttpPort;

  @Option(names = "--zipkin-port", defaultValue = "9411", paramLabel = "PORT",
      description = "Zipkin v2 receiver and read API port (default: ${DEFAULT-VALUE}).")
  int zipkinPort;

  @Option(names = "--query-port", defaultValue = "16686", paramLabel = "PORT",
      description = "Query APIs, /health, /ready and /metrics (default: ${DEFAULT-VALUE}).")
  int queryPort;

  @Option(names = "--jaeger-thrift-http-port", defaultValue = "14268", paramLabel = "PORT",
      description = "Jaeger Thrift over HTTP receiver, POST /api/traces "
          + "(default: ${DEFAULT-VALUE}).")
  int jaegerThriftHttpPort;

  @Option(names = "--jaeger-grpc-port", defaultValue = "14250", paramLabel = "PORT",
      description = "Jaeger gRPC receiver, jaeger.api_v2.CollectorService/PostSpans "
          + "(default: ${DEFAULT-VALUE}).")
  int jaegerGrpcPort;

  @Option(names = "--jaeger-compact-port", defaultValue = "6831", paramLabel = "PORT",
      description = "Jaeger agent UDP port, Thrift compact emitBatch, where Jaeger clients send "
          + "by default (default: ${DEFAULT-VALUE}).")
  int jaegerCompactPort;

  @Option(names = "--jaeger-binary-port", defaultValue = "6832", paramLabel = "PORT",
      description = "Jaeger agent UDP port, Thrift binary emitBatch (default: ${DEFAULT-VALUE}).")
  int jaegerBinaryPort;

  @Option(names = "--udp-max-packet-size", defaultValue = "65000", paramLabel = "BYTES",
      description = "Largest Jaeger UDP datagram accepted; a longer one is dropped and counted "
          + "as too_large in /metrics (default: ${DEFAULT-VALUE}, at most 65527).")
  int udpMaxPacketBytes;

  @Option(names = "--sampling-http-port", defaultValue = "5778", paramLabel = "PORT",
      description = "Jaeger remote sampling over HTTP: GET /sampling?service=NAME and "
          + "GET /?service=NAME (default: ${DEFAULT-VALUE}).")
  int samplingHttpPort;

  @Option(names = "--sampling-grpc-port", defaultValue = "5779", paramLabel = "PORT",
      description = "Jaeger remote sampling over gRPC, "
          + "jaeger.api_v2.SamplingManager/GetSamplingStrategy (default: ${DEFAULT-VALUE}).")
  int samplingGrpcPort;

  @Option(names = "--sampling-strategies-file", paramLabel = "FILE",
      description = "Sampling strategies in Jaeger's file format, reloaded when it changes. "
          + "Without it, adaptive sampling computes per-operation probabilities from the spans "
          + "stored.")
  Path samplingStrategiesFile;

  @Option(names = "--sampling-strategies-reload-interval", defaultValue = "5s",
      paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often the strategies file is checked for changes "
          + "(default: ${DEFAULT-VALUE}).")
  Duration samplingReloadInterval;

  @Option(names = "--sampling-target-tps", defaultValue = "1", paramLabel = "TRACES",
      description = "Adaptive sampling: sampled traces per second to aim for, per service and "
          + "operation (default: ${DEFAULT-VALUE}).")
  double samplingTargetTps;

  @Option(names = "--sampling-recompute-interval", defaultValue = "1m", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Adaptive sampling: how often probabilities are recomputed "
          + "(default: ${DEFAULT-VALUE}).")
  Duration samplingRecomputeInterval;

  @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
      description = "Where the write-ahead log and the index live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--retention", defaultValue = "7d", paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Delete spans older than this, e.g. 7d, 12h (default: ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(names = "--max-body-size", defaultValue = "20MiB", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Largest request body accepted, counted after decompression "
          + "(default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(names = "--max-inflight-bytes", defaultValue = "256MiB", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Memory budget for requests being received, decoded and written, each "
          + "counted as six times its body (its decoded spans); over it, receivers answer 503 "
          + "with Retry-After (default: ${DEFAULT-VALUE}).")
  long maxInflightBytes;

  @Option(names = "--max-queued-bytes", defaultValue = "64MiB", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Encoded batches waiting for the write-ahead log's fsync; over it, "
          + "receivers answer 503 with Retry-After (default: ${DEFAULT-VALUE}).")
  long maxQueuedBytes;

  @Option(names = "--max-index-lag", defaultValue = "128MiB", paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Write-ahead log bytes acknowledged but not yet indexed; over it, receivers "
          + "answer 503 with Retry-After so spans stay searchable within seconds "
          + "(default: ${DEFAULT-VALUE}).")
  long maxIndexLagBytes;

  @Option(names = "--log-format", defaultValue = "text", paramLabel = "FORMAT",
      description = "Log lines as ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(names = "--log-level", defaultValue = "INFO", paramLabel = "LEVEL",
      description = "TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}).")
  String logLevel;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.err, true)));
  }

  /** Parses and runs; returns the exit code (0 after a clean stop, 2 for a bad flag, 1 on failure). */
  static int run(String[] args, PrintWriter err) {
    CommandLine cli = new CommandLine(new SpanwiseServer());
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("spanwise: " + oneLine(ex.getMessage()) + " (see spanwise --help)");
          return 2;
        });
    cli.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          err.println("spanwise: " + oneLine(describe(ex)));
          return ex instanceof ConfigException ? 2 : 1;
        });
    return cli.execute(args);
  }

  private static String describe(Throwable ex) {
    String msg = ex.getMessage();
    if (msg == null || msg.isEmpty()) msg = ex.getClass().getSimpleName();
    Throwable cause = ex.getCause();
    if (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())) {
      msg += ": " + cause.getMessage();
    }
    return msg;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').trim();
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config = toConfig();
    System.setProperty("spanwise.log.format", logFormat == LogFormat.json ? "JSON" : "TEXT");
    System.setProperty("spanwise.log.level", logLevel);
    AllInOne server = AllInOne.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "spanwise-shutdown"));
    stopped.await();
    return 0;
  }

  ServerConfig toConfig() {
    InetAddress address;
    try {
      address = InetAddress.getByName(listenAll ? "0.0.0.0" : bindAddress);
    } catch (UnknownHostException e) {
      throw new ConfigException("--bind-address: '" + bindAddress + "' is not an address");
    }
    Map<String, Integer> ports = new HashMap<>();
    checkPort("--otlp-grpc-port", otlpGrpcPort, ports);
    checkPort("--otlp-http-port", otlpHttpPort, ports);
    checkPort("--zipkin-port", zipkinPort, ports);
    checkPort("--query-port", queryPort, ports);
    checkPort("--jaeger-thrift-http-port", jaegerThriftHttpPort, ports);
    checkPort("--jaeger-grpc-port", jaegerGrpcPort, ports);
    checkPort("--sampling-http-port", samplingHttpPort, ports);
    checkPort("--sampling-grpc-port", samplingGrpcPort, ports);
    if (samplingStrategiesFile != null && !Files.isRegularFile(samplingStrategiesFile)) {
      throw new ConfigException("--sampling-strategies-file: " + samplingStrategiesFile
          + " is not a readable file");
    }
    if (samplingReloadInterval.isNegative() || samplingReloadInterval.isZero()) {
      throw new ConfigException("--sampling-strategies-reload-interval: must be positive, was "
          + samplingReloadInterval);
    }
    if (!(samplingTargetTps > 0) || Double.isInfinite(samplingTargetTps)) {
      throw new ConfigException("--sampling-target-tps: must be a positive number, was "
          + samplingTargetTps);
    }
    if (samplingRecomputeInterval.toSeconds() < 1) {
      throw new ConfigException("--sampling-recompute-interval: must be at least 1s, was "
          + samplingRecomputeInterval);
    }
    Map<String, Integer> udpPorts = new HashMap<>(); // UDP ports do not clash with TCP ones
    checkPort("--jaeger-compact-port", jaegerCompactPort, udpPorts);
    checkPort("--jaeger-binary-port", jaegerBinaryPort, udpPorts);
    if (udpMaxPacketBytes < 1 || udpMaxPacketBytes > 65_527) {
      throw new ConfigException("--udp-max-packet-size: must be between 1 and 65527, was "
          + udpMaxPacketBytes);
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new ConfigException("--retention: must be positive, was " + retention);
    }
    if (maxBodyBytes < 1024) throw new ConfigException("--max-body-size: must be at least 1KiB");
    if (maxInflightBytes < maxBodyBytes) {
      throw new ConfigException("--max-inflight-bytes: must be at least --max-body-size ("
          + Sizes.format(maxBodyBytes) + ")");
    }
    if (maxQueuedBytes < 1024 * 1024) {
      throw new ConfigException("--max-queued-bytes: must be at least 1MiB");
    }
    if (maxIndexLagBytes < 1024 * 1024) {
      throw new ConfigException("--max-index-lag: must be at least 1MiB");
    }
    return new ServerConfig(address, otlpGrpcPort, otlpHttpPort, zipkinPort, queryPort,
        jaegerThriftHttpPort, jaegerGrpcPort, jaegerCompactPort, jaegerBinaryPort,
        udpMaxPacketBytes, samplingHttpPort, samplingGrpcPort,
        samplingStrategiesFile == null ? null
            : samplingStrategiesFile.toAbsolutePath().normalize(),
        samplingReloadInterval, samplingTargetTps, samplingRecomputeInterval,
        dataDir.toAbsolutePath().normalize(), retention, maxBodyBytes, maxInflightBytes,
        maxQueuedBytes, maxIndexLagBytes);
  }

  private static void checkPort(String flag, int port, Map<String, Integer> seen) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(flag + ": " + port + " is not a port (0 to 65535)");
    }
    if (port == 0) return;
    for (Map.Entry<String, Integer> e : seen.entrySet()) {
      if (e.getValue() == port) {
        throw new ConfigException(flag + ": port " + port + " is already used by " + e.getKey());
      }
    }
    seen.put(flag, port);
  }

  /** A flag's value is unusable; the message names the flag. */
  static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
  }

  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Sizes.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
