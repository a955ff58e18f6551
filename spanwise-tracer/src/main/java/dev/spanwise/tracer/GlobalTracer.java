package dev.spanwise.tracer;

import java.util.Objects;

/**
 * Explicit, optional global registration for code that cannot be handed a tracer. Nothing
 * registers itself: the application calls {@link #set}. Until then {@link #get} returns a no-op
 * tracer.
 */
public final class GlobalTracer {
  private static volatile Tracer tracer;
  private static volatile Tracer noop;

  private GlobalTracer() {}

  /** Registers {@code tracer}; returns the one it replaced, or null. */
  public static synchronized Tracer set(Tracer tracer) {
    Tracer previous = GlobalTracer.tracer;
    GlobalTracer.tracer = Objects.requireNonNull(tracer, "tracer");
    return previous;
  }

  /** The registered tracer, or a no-op tracer. */
  public static Tracer get() {
    Tracer t = tracer;
    if (t != null) {
      return t;
    }
    synchronized (GlobalTracer.class) {
      if (tracer != null) {
        return tracer;
      }
      if (noop == null) {
        noop = Tracer.noop();
      }
      return noop;
    }
  }

  public static boolean isRegistered() {
    return tracer != null;
  }

  /** For tests: forgets the registered tracer. */
  public static synchronized void reset() {
    tracer = null;
  }
}
