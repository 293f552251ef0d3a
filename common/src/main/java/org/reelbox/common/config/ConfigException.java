package org.reelbox.common.config;

import static java.util.Objects.requireNonNull;

/**
 * A role cannot start because of its configuration. The message is one line that names the key (and
 * the environment variable that overrides it) and the problem; the launcher prints it and exits.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String problem) {
    super("config key '" + requireNonNull(key, "key") + "': " + requireNonNull(problem, "problem"));
    this.key = key;
  }

  /** The dotted key, such as {@code http.port}, or the environment variable at fault. */
  public String key() {
    return key;
  }
}
