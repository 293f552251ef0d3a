package org.reelbox.edge.internal;

import java.util.Locale;
import java.util.Optional;

/** Reads the one thing the edge needs from an origin's {@code Cache-Control}: the freshness. */
final class CacheControl {
  private CacheControl() {}

  /**
   * The {@code max-age} in seconds (RFC 9111 §5.2.2.1); 0 for {@code no-store} or {@code no-cache}
   * (always fetch again); empty when the header has neither.
   */
  static Optional<Long> maxAgeSeconds(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Optional<Long> maxAge = Optional.empty();
    for (String directive : header.split(",")) {
      String d = directive.trim().toLowerCase(Locale.ROOT);
      if (d.equals("no-store") || d.equals("no-cache")) {
        return Optional.of(0L);
      }
      if (d.startsWith("max-age=")) {
        String v = d.substring("max-age=".length()).replace("\"", "");
        try {
          maxAge = Optional.of(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
          return Optional.of(0L); // §4.2.1: an invalid max-age means stale
        }
      }
    }
    return maxAge;
  }
}
