package dev.spanwise.tracer.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Renders a throwable the way {@link Throwable#printStackTrace()} does, without a PrintWriter. */
public final class StackTraces {
  private StackTraces() {}

  public static String render(Throwable throwable) {
    StringBuilder sb = new StringBuilder(2048);
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    append(sb, throwable, null, "", "", seen);
    return sb.toString();
  }

  private static void append(
      StringBuilder sb, Throwable t, StackTraceElement[] enclosing, String caption, String prefix,
      Set<Throwable> seen) {
    if (!seen.add(t)) {
      sb.append(prefix).append(caption).append("[CIRCULAR REFERENCE: ").append(t).append("]\n");
      return;
    }
    StackTraceElement[] trace = t.getStackTrace();
    int m = trace.length - 1;
    if (enclosing != null) {
      int n = enclosing.length - 1;
      while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) {
        m--;
        n--;
      }
    }
    int framesInCommon = trace.length - 1 - m;
    sb.append(prefix).append(caption).append(t).append('\n');
    for (int i = 0; i <= m; i++) {
      sb.append(prefix).append("\tat ").append(trace[i]).append('\n');
    }
    if (framesInCommon != 0) {
      sb.append(prefix).append("\t... ").append(framesInCommon).append(" more\n");
    }
    for (Throwable suppressed : t.getSuppressed()) {
      append(sb, suppressed, trace, "Suppressed: ", prefix + "\t", seen);
    }
    Throwable cause = t.getCause();
    if (cause != null) {
      append(sb, cause, trace, "Caused by: ", prefix, seen);
    }
  }
}
