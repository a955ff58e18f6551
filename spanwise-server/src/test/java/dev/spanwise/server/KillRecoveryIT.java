package dev.spanwise.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never lose an acknowledged span: traces acknowledged by the server before a SIGKILL are all
 * found after a restart, through the Jaeger and Zipkin APIs.
 */
class KillRecoveryIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedTraceSurvivesKillMinus9() throws Exception {
    Path data = tmp.resolve("data");
    List<String> acked;
    try (ServerProcess server = new ServerProcess(data).start()) {
      acked = sendUntilKilled(server);
      assertThat(acked).hasSizeGreaterThan(10);
    }
    try (ServerProcess restarted = new ServerProcess(data).start()) {
      assertAllFound(restarted, acked);
      System.out.println("KillRecoveryIT: " + acked.size()
          + " traces acknowledged before SIGKILL, all found after restart");
      String one = acked.get(acked.size() - 1);
      HttpResponse<String> zipkin = ServerProcess.get(restarted.zipkinPort, "/api/v2/trace/" + one);
      assertThat(zipkin.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(zipkin.body())).hasSize(3);
      restarted.assertStopsCleanly();
    }
  }

  @Test
  void corruptTailIsSkippedAndCountedNotACrashLoop() throws Exception {
    Path data = tmp.resolve("data");
    List<String> acked = new ArrayList<>();
    try (ServerProcess server = new ServerProcess(data).start()) {
      for (int i = 0; i < 20; i++) {
        String traceId = OtlpJson.randomHex(32);
        HttpResponse<String> r = ServerProcess.post(server.otlpHttpPort, "/v1/traces",
            "application/json", OtlpJson.trace("corrupt-tail", traceId, 2));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        acked.add(traceId);
      }
      server.kill();
    }
    // A torn write: garbage after the last acknowledged record of the newest WAL segment.
    Path segment = newestWalSegment(data);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x13, 0x37, 0x00, 0x7f, (byte) 0xff, 0x01, 0x02}),
          ch.size());
    }
    try (ServerProcess restarted = new ServerProcess(data).start()) {
      assertAllFound(restarted, acked);
      String metrics = ServerProcess.get(restarted.queryPort, "/metrics").body();
      assertThat(metricValue(metrics, "spanwise_wal_corruptions_total")).isGreaterThan(0);
      // And it keeps taking spans after the repair.
      String after = OtlpJson.randomHex(32);
      assertThat(ServerProcess.post(restarted.otlpHttpPort, "/v1/traces", "application/json",
          OtlpJson.trace("corrupt-tail", after, 1)).statusCode()).isEqualTo(200);
      assertAllFound(restarted, List.of(after));
    }
  }

  static double metricValue(String prometheusText, String name) {
    double sum = 0;
    boolean found = false;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    assertThat(found).as("metric " + name + " in /metrics").isTrue();
    return sum;
  }

  static Path newestWalSegment(Path data) throws Exception {
    try (Stream<Path> files = Files.walk(data)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".wal"))
          .max(Comparator.comparing((Path p) -> p.getFileName().toString()))
          .orElseThrow(() -> new AssertionError("no WAL segment under " + data));
    }
  }

  /** Four senders post 3-span traces until the server is killed mid-stream. */
  private static List<String> sendUntilKilled(ServerProcess server) throws Exception {
    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService senders = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      senders.execute(() -> {
        while (running.get()) {
          String traceId = OtlpJson.randomHex(32);
          try {
            HttpResponse<String> r = ServerProcess.post(server.otlpHttpPort, "/v1/traces",
                "application/json", OtlpJson.trace("kill-test", traceId, 2));
            if (r.statusCode() == 200 && !r.body().contains("rejected")) acked.add(traceId);
          } catch (Exception killed) {
            // no answer: not acknowledged
          }
        }
      });
    }
    Thread.sleep(3_000);
    server.kill(); // while the senders are still sending
    running.set(false);
    senders.shutdown();
    assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    return new ArrayList<>(acked);
  }

  /** Polls the Jaeger API until every trace is there with all its spans (the indexer replays). */
  static void assertAllFound(ServerProcess server, List<String> traceIds) throws Exception {
    Set<String> missing = new HashSet<>(traceIds);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      List<String> batch = new ArrayList<>(missing);
      for (int i = 0; i < batch.size(); i += 50) {
        StringBuilder q = new StringBuilder("/api/traces?");
        for (String id : batch.subList(i, Math.min(batch.size(), i + 50))) {
          q.append("traceID=").append(id).append('&');
        }
        HttpResponse<String> r = ServerProcess.get(server.queryPort, q.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode trace : JSON.readTree(r.body()).path("data")) {
          String id = trace.path("traceID").asText();
          if (trace.path("spans").size() >= 2) missing.remove(id);
        }
      }
      if (!missing.isEmpty()) Thread.sleep(250);
    }
    assertThat(missing).as("acknowledged traces missing after restart").isEmpty();
  }
}
