package org.reelbox.common.config;

/**
 * Where a role's HTTP server listens.
 *
 * @param host the address to bind, such as {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port the TCP port; 0 binds a free one
 */
public record HttpConfig(String host, int port) {
  public HttpConfig {
    Checks.nonBlank("host", host);
    Checks.port("port", port);
  }

  public HttpConfig withPort(int newPort) {
    return new HttpConfig(host, newPort);
  }
}
