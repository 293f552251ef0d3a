package org.reelbox.control.config;

import java.time.Duration;
import org.reelbox.common.config.ConfigValueException;

/**
 * The edge registry's settings: the {@code edges} section of {@code conf/control-plane.yaml}
 * (docs/edges.md).
 *
 * @param heartbeatTimeoutSeconds an edge whose last heartbeat is at least this old is not healthy,
 *     1–86400. Three heartbeat intervals of the boxes (10 s by default) ride out two lost beats
 * @param popularityHalfLifeMinutes a view counts half as much this long after it happened, 1–525600
 *     (a year); absent means 1440 (a day: yesterday's hit is still worth a box's disk)
 * @param fillVideos the most videos a box's fill list names, 1–1000; absent means 50
 */
public record EdgesConfig(
    int heartbeatTimeoutSeconds, Integer popularityHalfLifeMinutes, Integer fillVideos) {
  public EdgesConfig {
    if (heartbeatTimeoutSeconds < 1 || heartbeatTimeoutSeconds > 86_400) {
      throw new ConfigValueException(
          "edges.heartbeatTimeoutSeconds",
          "must be between 1 and 86400, got " + heartbeatTimeoutSeconds);
    }
    popularityHalfLifeMinutes =
        popularityHalfLifeMinutes == null ? 1440 : popularityHalfLifeMinutes;
    if (popularityHalfLifeMinutes < 1 || popularityHalfLifeMinutes > 525_600) {
      throw new ConfigValueException(
          "edges.popularityHalfLifeMinutes",
          "must be between 1 and 525600, got " + popularityHalfLifeMinutes);
    }
    fillVideos = fillVideos == null ? 50 : fillVideos;
    if (fillVideos < 1 || fillVideos > 1000) {
      throw new ConfigValueException(
          "edges.fillVideos", "must be between 1 and 1000, got " + fillVideos);
    }
  }

  public EdgesConfig(int heartbeatTimeoutSeconds) {
    this(heartbeatTimeoutSeconds, null, null);
  }

  /** {@link #heartbeatTimeoutSeconds} as a duration. */
  public Duration heartbeatTimeout() {
    return Duration.ofSeconds(heartbeatTimeoutSeconds);
  }

  /** {@link #popularityHalfLifeMinutes} as a duration. */
  public Duration popularityHalfLife() {
    return Duration.ofMinutes(popularityHalfLifeMinutes);
  }

  /** The defaults of {@code conf/control-plane.yaml}. */
  public static EdgesConfig defaults() {
    return new EdgesConfig(30);
  }
}
