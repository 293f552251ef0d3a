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
 * @param maxErrorRate a box that answered more than this share of its requests with a 5xx between
 *     two heartbeats is not healthy (not routed to), 0–1; absent means {@value
 *     #DEFAULT_MAX_ERROR_RATE}
 */
public record EdgesConfig(
    int heartbeatTimeoutSeconds,
    Integer popularityHalfLifeMinutes,
    Integer fillVideos,
    Double maxErrorRate) {
  /** A quarter of the answers failing: the origin behind the box is gone, or its disk is. */
  public static final double DEFAULT_MAX_ERROR_RATE = 0.25;

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
    maxErrorRate = maxErrorRate == null ? DEFAULT_MAX_ERROR_RATE : maxErrorRate;
    if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
      throw new ConfigValueException(
          "edges.maxErrorRate", "must be between 0 and 1, got " + maxErrorRate);
    }
  }

  public EdgesConfig(int heartbeatTimeoutSeconds) {
    this(heartbeatTimeoutSeconds, null, null, null);
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
