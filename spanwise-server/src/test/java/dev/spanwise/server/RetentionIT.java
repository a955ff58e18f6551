package dev.spanwise.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spans older than --retention are deleted while the server runs; newer ones stay. */
class RetentionIT {
  @TempDir Path tmp;

  @Test
  void deletesSpansOlderThanTheRetentionWhileIngestGoesOn() throws Exception {
    try (ServerProcess server = new ServerProcess(tmp.resolve("data")).start("--retention", "1m")) {
      String old = OtlpJson.randomHex(32);
      String recent = OtlpJson.randomHex(32);
      long tenMinutesAgo = (System.currentTimeMillis() - 600_000L) * 1_000_000L;
      assertThat(ServerProcess.post(server.otlpHttpPort, "/v1/traces", "application/json",
          OtlpJson.trace("retention", old, 2, tenMinutesAgo)).statusCode()).isEqualTo(200);
      assertThat(ServerProcess.post(server.otlpHttpPort, "/v1/traces", "application/json",
          OtlpJson.trace("retention", recent, 2)).statusCode()).isEqualTo(200);

      // Both are stored first (the first retention pass runs 6 s after start)...
      KillRecoveryIT.assertAllFound(server, List.of(old, recent));
      // ...then, with a 1-minute retention checked every 6 s, the old trace goes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int status = 200;
      while (System.nanoTime() < deadline) {
        status = ServerProcess.get(server.queryPort, "/api/traces/" + old).statusCode();
        if (status == 404) break;
        Thread.sleep(500);
      }
      assertThat(status).as("trace older than the retention").isEqualTo(404);
      KillRecoveryIT.assertAllFound(server, List.of(recent));
    }
  }
}
