package dev.spanwise.query.internal;

/** An unknown trace (or other resource): HTTP 404. */
public final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
