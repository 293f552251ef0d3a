package org.reelbox.common.config;

import static java.util.Objects.requireNonNull;

/**
 * Thrown by a config record's constructor when one of its fields is invalid. The {@link
 * ConfigLoader} prefixes {@link #field()} with the record's path to name the full key.
 */
public final class ConfigValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  public ConfigValueException(String field, String problem) {
    super(field + ": " + problem);
    this.field = requireNonNull(field, "field");
    this.problem = requireNonNull(problem, "problem");
  }

  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }
}
