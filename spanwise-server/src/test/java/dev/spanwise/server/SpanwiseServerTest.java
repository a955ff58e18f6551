package dev.spanwise.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SpanwiseServerTest {
  static String[] run(String... args) {
    StringWriter err = new StringWriter();
    int code = SpanwiseServer.run(args, new PrintWriter(err, true));
    return new String[] {Integer.toString(code), err.toString()};
  }

  static void assertOneLineError(String[] result, String... mentions) {
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1].strip().lines().count()).as(result[1]).isEqualTo(1);
    assertThat(result[1]).startsWith("spanwise: ");
    for (String m : mentions) assertThat(result[1]).contains(m);
  }

  @Test
  void unknownFlagExitsWithOneLineNamingIt() {
    assertOneLineError(run("--bogus"), "--bogus");
  }

  @Test
  void badValuesExitWithOneLineNamingTheFlag() {
    assertOneLineError(run("--retention", "forever"), "--retention", "forever");
    assertOneLineError(run("--max-body-size", "lots"), "--max-body-size");
    assertOneLineError(run("--otlp-http-port", "70000"), "--otlp-http-port", "70000");
    assertOneLineError(run("--zipkin-port", "4317"), "--zipkin-port", "--otlp-grpc-port");
    assertOneLineError(run("--bind-address", "not an address!"), "--bind-address");
    assertOneLineError(run("--role", "gardener"), "--role");
    assertOneLineError(run("--max-body-size", "64MiB", "--max-inflight-bytes", "32MiB"),
        "--max-inflight-bytes");
  }

  @Test
  void defaultsAreTheEcosystemsPortsOnLoopback() {
    SpanwiseServer cmd = new SpanwiseServer();
    new CommandLine(cmd).parseArgs();
    ServerConfig c = cmd.toConfig();
    assertThat(c.bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(c.otlpGrpcPort()).isEqualTo(4317);
    assertThat(c.otlpHttpPort()).isEqualTo(4318);
    assertThat(c.zipkinPort()).isEqualTo(9411);
    assertThat(c.queryPort()).isEqualTo(16686);
    assertThat(c.jaegerThriftHttpPort()).isEqualTo(14268);
    assertThat(c.jaegerGrpcPort()).isEqualTo(14250);
    assertThat(c.jaegerCompactPort()).isEqualTo(6831);
    assertThat(c.jaegerBinaryPort()).isEqualTo(6832);
    assertThat(c.udpMaxPacketBytes()).isEqualTo(65_000);
    assertThat(c.samplingHttpPort()).isEqualTo(5778);
    assertThat(c.samplingGrpcPort()).isEqualTo(5779);
    assertThat(c.samplingStrategiesFile()).isNull(); // adaptive
    assertThat(c.samplingTargetTps()).isEqualTo(1.0);
    assertThat(c.samplingRecomputeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(c.maxBodyBytes()).isEqualTo(20L << 20);
    assertThat(c.dataDir().toString()).endsWith("data");
  }

  @Test
  void listenAllBindsEveryInterface() {
    SpanwiseServer cmd = new SpanwiseServer();
    new CommandLine(cmd).parseArgs("--listen-all", "--retention", "36h");
    ServerConfig c = cmd.toConfig();
    assertThat(c.bindAddress().isAnyLocalAddress()).isTrue();
    assertThat(c.retention()).isEqualTo(Duration.ofHours(36));
  }

  @Test
  void helpListsEveryFlag() {
    String usage = new CommandLine(new SpanwiseServer()).getUsageMessage();
    assertThat(usage).contains("--data-dir", "--retention", "--listen-all", "--bind-address",
        "--otlp-grpc-port", "--otlp-http-port", "--zipkin-port", "--query-port",
        "--max-body-size", "--max-inflight-bytes", "--max-queued-bytes", "--max-index-lag",
        "--log-format", "--jaeger-thrift-http-port", "--jaeger-grpc-port",
        "--jaeger-compact-port", "--jaeger-binary-port", "--udp-max-packet-size",
        "--sampling-http-port", "--sampling-grpc-port", "--sampling-strategies-file",
        "--sampling-strategies-reload-interval", "--sampling-target-tps",
        "--sampling-recompute-interval");
    assertThat(run("--help")[0]).isEqualTo("0");
  }

  @Test
  void samplingFlagsAreChecked() {
    assertOneLineError(run("--sampling-http-port", "14268"), "--sampling-http-port",
        "--jaeger-thrift-http-port");
    assertOneLineError(run("--sampling-strategies-file", "/no/such/strategies.json"),
        "--sampling-strategies-file", "/no/such/strategies.json");
    assertOneLineError(run("--sampling-target-tps", "0"), "--sampling-target-tps");
    assertOneLineError(run("--sampling-target-tps", "many"), "--sampling-target-tps");
    assertOneLineError(run("--sampling-recompute-interval", "10ms"),
        "--sampling-recompute-interval");
  }

  @Test
  void jaegerPortsAreCheckedTcpAndUdpApart() {
    assertOneLineError(run("--jaeger-grpc-port", "4317"), "--jaeger-grpc-port", "--otlp-grpc-port");
    assertOneLineError(run("--jaeger-binary-port", "6831"), "--jaeger-binary-port");
    assertOneLineError(run("--udp-max-packet-size", "70000"), "--udp-max-packet-size");
    SpanwiseServer cmd = new SpanwiseServer();
    new CommandLine(cmd).parseArgs("--jaeger-compact-port", "4317"); // UDP 4317 beside TCP 4317
    assertThat(cmd.toConfig().jaegerCompactPort()).isEqualTo(4317);
  }

  @Test
  void sizesAndDurations() {
    assertThat(Sizes.parse("20MiB")).isEqualTo(20L << 20);
    assertThat(Sizes.parse("512k")).isEqualTo(512L << 10);
    assertThat(Sizes.parse("4096")).isEqualTo(4096);
    assertThat(Sizes.format(20L << 20)).isEqualTo("20MiB");
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("PT90M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
  }
}
