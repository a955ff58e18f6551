package dev.spanwise.benchmarks.load;

import picocli.CommandLine;

/** Runs a picocli command the way every tool here does. */
final class Commands {
  private Commands() {}

  /**
   * Runs {@code command} with {@code args}: a bad flag, or an {@link IllegalArgumentException}
   * from the command, prints one line {@code "name: message"} and returns 2.
   */
  static int run(String name, Object command, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setParameterExceptionHandler((ex, a) -> {
      cli.getErr().println(name + ": " + ex.getMessage());
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (!(ex instanceof IllegalArgumentException)) throw ex;
      c.getErr().println(name + ": " + ex.getMessage());
      return 2;
    });
    return cli.execute(args);
  }
}
