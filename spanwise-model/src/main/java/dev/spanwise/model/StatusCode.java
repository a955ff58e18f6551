package dev.spanwise.model;

/** OTLP status code. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR;

  public static StatusCode fromOtlpNumber(int number) {
    switch (number) {
      case 1:
        return OK;
      case 2:
        return ERROR;
      default:
        return UNSET;
    }
  }

  public int otlpNumber() {
    return ordinal();
  }
}
