package dev.spanwise.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What a piece of code writes to {@code System.err}, for the tools' bad-flag tests. */
final class Stderr {
  private Stderr() {}

  /** Runs {@code code} with {@code System.err} captured; returns the lines written. */
  static List<String> linesDuring(Runnable code) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      code.run();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
