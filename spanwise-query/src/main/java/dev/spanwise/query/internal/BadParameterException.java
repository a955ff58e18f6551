package dev.spanwise.query.internal;

/** A request parameter that is missing or malformed: HTTP 400 naming the parameter. */
public final class BadParameterException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String parameter;
  private final String problem;

  public BadParameterException(String parameter, String problem) {
    super("parameter '" + parameter + "' " + problem);
    this.parameter = parameter;
    this.problem = problem;
  }

  public String parameter() {
    return parameter;
  }

  /** What is wrong, without the parameter name. */
  public String problem() {
    return problem;
  }
}
