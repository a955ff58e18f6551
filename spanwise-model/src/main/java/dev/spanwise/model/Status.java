package dev.spanwise.model;

import java.util.Objects;

/** A span's status: code and, for errors, a message. */
public final class Status {
  public static final Status UNSET = new Status(StatusCode.UNSET, "");
  public static final Status OK = new Status(StatusCode.OK, "");
  public static final Status ERROR = new Status(StatusCode.ERROR, "");

  private final StatusCode code;
  private final String message;

  private Status(StatusCode code, String message) {
    this.code = code;
    this.message = message;
  }

  public static Status of(StatusCode code, String message) {
    Objects.requireNonNull(code, "code");
    if (message == null || message.isEmpty()) {
      switch (code) {
        case OK:
          return OK;
        case ERROR:
          return ERROR;
        default:
          return UNSET;
      }
    }
    return new Status(code, message);
  }

  public static Status error(String message) {
    return of(StatusCode.ERROR, message);
  }

  public StatusCode code() {
    return code;
  }

  /** Never null; empty when absent. */
  public String message() {
    return message;
  }

  public boolean isError() {
    return code == StatusCode.ERROR;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Status && ((Status) o).code == code && ((Status) o).message.equals(message);
  }

  @Override
  public int hashCode() {
    return code.hashCode() * 31 + message.hashCode();
  }

  @Override
  public String toString() {
    return message.isEmpty() ? code.name() : code + "(" + message + ")";
  }
}
