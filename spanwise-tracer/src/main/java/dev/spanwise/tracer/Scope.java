package dev.spanwise.tracer;

/**
 * Makes a span or context current until closed. Close in a try-with-resources block on the
 * thread that opened it. Closing out of order or twice does not corrupt the current context:
 * the current context is always the newest scope still open.
 */
public interface Scope extends AutoCloseable {
  @Override
  void close();
}
