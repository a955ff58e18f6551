package dev.spanwise.tracer.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Renders a throwable as {@link Throwable#printStackTrace()} does (causes, suppressed exceptions,
 * "... n more"), writing frames straight into one reused builder instead of going through a
 * PrintWriter and each frame's {@code toString()}. Frames are {@code module@version/class.method(File:line)}
 * without the class loader name.
 */
public final class StackTraces {
  private static final int MAX_KEPT_CAPACITY = 64 * 1024;
  private static final ThreadLocal<StringBuilder[]> BUILDER =
      ThreadLocal.withInitial(() -> new StringBuilder[] {new StringBuilder(4096)});

  private StackTraces() {}

  public static String render(Throwable throwable) {
    StringBuilder[] holder = BUILDER.get();
    StringBuilder sb = holder[0];
    holder[0] = null; // re-entrant calls (a toString() that records) get their own builder
    if (sb == null) {
      sb = new StringBuilder(4096);
    }
    try {
      sb.setLength(0);
      Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      append(sb, throwable, null, "", "", seen);
      return sb.toString();
    } finally {
      if (sb.capacity() <= MAX_KEPT_CAPACITY) {
        holder[0] = sb;
      }
    }
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
      sb.append(prefix).append("\tat ");
      appendFrame(sb, trace[i]);
      sb.append('\n');
    }
    if (framesInCommon != 0) {
      sb.append(prefix).append("\t... ").append(framesInCommon).append(" more\n");
    }
    Throwable[] suppressed = t.getSuppressed();
    for (Throwable s : suppressed) {
      append(sb, s, trace, "Suppressed: ", prefix + "\t", seen);
    }
    Throwable cause = t.getCause();
    if (cause != null) {
      append(sb, cause, trace, "Caused by: ", prefix, seen);
    }
  }

  static void appendFrame(StringBuilder sb, StackTraceElement e) {
    String module = e.getModuleName();
    if (module != null && !module.isEmpty()) {
      sb.append(module);
      String version = e.getModuleVersion();
      if (version != null && !version.isEmpty() && !module.startsWith("java.") && !module.startsWith("jdk.")) {
        sb.append('@').append(version);
      }
      sb.append('/');
    }
    sb.append(e.getClassName()).append('.').append(e.getMethodName()).append('(');
    String file = e.getFileName();
    int line = e.getLineNumber();
    if (e.isNativeMethod()) {
      sb.append("Native Method");
    } else if (file == null) {
      sb.append("Unknown Source");
    } else {
      sb.append(file);
      if (line >= 0) {
        sb.append(':').append(line);
      }
    }
    sb.append(')');
  }
}
