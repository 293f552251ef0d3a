package org.reelbox.control.pipeline.internal;

import java.util.List;
import java.util.Map;

/** How error messages quote values read from a profile. Not API. */
public final class Show {
  // Profiles are written by operators, options come from creators' requests: either way a message
  // quotes a bounded amount of what it was given.
  private static final int MAX_QUOTED = 80;

  private Show() {}

  /** A short, unambiguous rendering of a YAML value: strings quoted, containers named. */
  public static String value(Object raw) {
    if (raw == null) {
      return "nothing";
    }
    if (raw instanceof String s) {
      String cut = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "…" : s;
      return "'" + cut + "'";
    }
    if (raw instanceof List<?>) {
      return "a list";
    }
    if (raw instanceof Map<?, ?>) {
      return "a mapping";
    }
    return String.valueOf(raw);
  }
}
