package dev.spanwise.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time and resident memory of a Linux process, read from {@code /proc}. */
record ProcessStats(long cpuNanos, long rssBytes, long peakRssBytes) {
  /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  static ProcessStats read(long pid) {
    return read(Path.of("/proc", String.valueOf(pid)));
  }

  static ProcessStats readSelf() {
    return read(Path.of("/proc/self"));
  }

  static ProcessStats read(Path procDir) {
    try {
      return parse(Files.readString(procDir.resolve("stat")),
          Files.readAllLines(procDir.resolve("status")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + procDir + ": " + e.getMessage(), e);
    }
  }

  /** Parses {@code /proc/PID/stat} (utime, stime) and {@code /proc/PID/status} (VmRSS, VmHWM). */
  static ProcessStats parse(String stat, List<String> status) {
    // The command name may hold spaces and parentheses: fields resume after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
    long rss = 0;
    long hwm = 0;
    for (String line : status) {
      if (line.startsWith("VmRSS:")) rss = kib(line);
      if (line.startsWith("VmHWM:")) hwm = kib(line);
    }
    return new ProcessStats(ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND), rss, hwm);
  }

  private static long kib(String line) {
    String[] parts = line.split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }
}
