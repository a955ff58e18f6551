package dev.spanwise.benchmarks.load;

/** A {@code host:port} target. */
record HostAndPort(String host, int port) {

  static HostAndPort parse(String flag, String value) {
    if (value == null) throw new IllegalArgumentException(flag + ": missing host:port");
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(flag + ": expected host:port, got '" + value + "'");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + value.substring(colon + 1) + "' is not a port");
    }
    if (port < 1 || port > 65535) throw new IllegalArgumentException(flag + ": port out of range: " + port);
    return new HostAndPort(value.substring(0, colon), port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
