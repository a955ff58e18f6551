package dev.spanwise.server;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged all-in-one jar run as a child process, on free loopback ports. */
final class ServerProcess implements AutoCloseable {
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Path dataDir;
  final Path log;
  // all ports come from one call, so no two are the same number
  private final int[] ports = distinctFreePorts(10);
  final int otlpGrpcPort = ports[0];
  final int otlpHttpPort = ports[1];
  final int zipkinPort = ports[2];
  final int queryPort = ports[3];
  final int jaegerThriftHttpPort = ports[4];
  final int jaegerGrpcPort = ports[5];
  final int jaegerCompactPort = ports[6];
  final int jaegerBinaryPort = ports[7];
  final int samplingHttpPort = ports[8];
  final int samplingGrpcPort = ports[9];
  private Process process;

  ServerProcess(Path dataDir) {
    this.dataDir = dataDir;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
  }

  static Path jar() {
    Path jar = Paths.get("target", "spanwise.jar").toAbsolutePath();
    if (!Files.exists(jar)) throw new IllegalStateException("run 'mvn package' first: " + jar);
    return jar;
  }

  /**
   * {@code n} different loopback ports, each free for TCP and for UDP when probed. Every probe
   * socket stays open until all are taken: a port closed before the next probe can be handed out
   * again, and the server refuses two flags with the same port.
   */
  static int[] distinctFreePorts(int n) {
    List<AutoCloseable> held = new ArrayList<>();
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; ) {
        ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(tcp);
        int port = tcp.getLocalPort();
        try {
          held.add(new DatagramSocket(port, InetAddress.getLoopbackAddress()));
        } catch (SocketException udpTaken) {
          continue; // keep the TCP socket open so this number is not offered again
        }
        ports[i++] = port;
      }
      return ports;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      for (AutoCloseable socket : held) {
        try {
          socket.close();
        } catch (Exception ignored) {
          // a probe socket; nothing to keep
        }
      }
    }
  }

  ServerProcess start(String... extraArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-jar", jar().toString(),
        "--data-dir", dataDir.toString(),
        "--otlp-grpc-port", Integer.toString(otlpGrpcPort),
        "--otlp-http-port", Integer.toString(otlpHttpPort),
        "--zipkin-port", Integer.toString(zipkinPort),
        "--query-port", Integer.toString(queryPort),
        "--jaeger-thrift-http-port", Integer.toString(jaegerThriftHttpPort),
        "--jaeger-grpc-port", Integer.toString(jaegerGrpcPort),
        "--jaeger-compact-port", Integer.toString(jaegerCompactPort),
        "--jaeger-binary-port", Integer.toString(jaegerBinaryPort),
        "--sampling-http-port", Integer.toString(samplingHttpPort),
        "--sampling-grpc-port", Integer.toString(samplingGrpcPort)));
    cmd.addAll(List.of(extraArgs));
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    awaitReady();
    return this;
  }

  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      try {
        HttpResponse<String> r = get(queryPort, "/ready");
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server not ready in 60s:\n" + Files.readString(log));
  }

  /** SIGKILL: no shutdown hook, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the shutdown hook flushes. Returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("server did not stop within 60s");
    }
    return process.exitValue();
  }

  /**
   * SIGTERM, then checks the shutdown hook drained and closed everything. The JVM reports a
   * SIGTERM as exit status 143 (128 + 15) even after a clean shutdown.
   */
  void assertStopsCleanly() throws Exception {
    int status = stop();
    String text = logText();
    if (status != 143 && status != 0) {
      throw new AssertionError("exit status " + status + ":\n" + text);
    }
    if (!text.contains("Spanwise stopped")) {
      throw new AssertionError("no clean shutdown in the log:\n" + text);
    }
  }

  static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(int port, String path, String contentType, byte[] body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) kill();
  }
}
