package org.reelbox.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** Argument checks for config records; each failure names the field and the bad value. */
public final class Checks {
  private Checks() {}

  public static <T> T required(String field, T value) {
    if (value == null) {
      throw new ConfigValueException(field, "is required");
    }
    return value;
  }

  /** A TCP port; 0 asks the operating system for a free one (tests use it). */
  public static int port(String field, int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigValueException(field, "must be a port between 0 and 65535, got " + port);
    }
    return port;
  }

  public static String nonBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigValueException(field, "must not be empty");
    }
    return value;
  }

  public static int positive(String field, int value) {
    if (value <= 0) {
      throw new ConfigValueException(field, "must be greater than 0, got " + value);
    }
    return value;
  }

  public static long positive(String field, long value) {
    if (value <= 0) {
      throw new ConfigValueException(field, "must be greater than 0, got " + value);
    }
    return value;
  }

  public static String oneOf(String field, String value, Set<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw new ConfigValueException(
          field, "must be one of " + allowed.stream().sorted().toList() + ", got '" + value + "'");
    }
    return value;
  }

  /** An absolute http(s) URL, or empty when {@code allowEmpty}. Returned without a trailing /. */
  public static String httpUrl(String field, String value, boolean allowEmpty) {
    if (value == null || value.isEmpty()) {
      if (allowEmpty) {
        return "";
      }
      throw new ConfigValueException(field, "must not be empty");
    }
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new ConfigValueException(
            field, "must be an http:// or https:// URL, got '" + value + "'");
      }
    } catch (URISyntaxException e) {
      throw new ConfigValueException(field, "is not a valid URL: '" + value + "'");
    }
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }
}
