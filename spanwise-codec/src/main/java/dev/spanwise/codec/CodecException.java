package dev.spanwise.codec;

/**
 * Input that a codec cannot read: not the format at all, or a field that is missing or invalid.
 * The message names the field by its path in the input ({@code spans[2].traceId: ...}), so a
 * receiver can answer HTTP 400 with it as it is.
 */
public final class CodecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
