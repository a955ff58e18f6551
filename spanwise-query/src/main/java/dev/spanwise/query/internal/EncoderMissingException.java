package dev.spanwise.query.internal;

/** The span encoder a route needs is not in spanwise-codec yet: HTTP 501. */
public final class EncoderMissingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EncoderMissingException(String format) {
    super("rendering spans as " + format + " is not available in this build yet");
  }
}
