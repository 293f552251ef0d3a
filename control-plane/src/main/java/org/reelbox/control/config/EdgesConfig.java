package org.reelbox.control.config;

import java.time.Duration;
import org.reelbox.common.config.ConfigValueException;

/**
 * The edge registry's settings: the {@code edges} section of {@code conf/control-plane.yaml}
 * (docs/edges.md).
 *
 * @param heartbeatTimeoutSeconds an edge whose last heartbeat is at least this old is not healthy,
 *     1–86400. Three heartbeat intervals of the boxes (10 s by default) ride out two lost beats
 */
public record EdgesConfig(int heartbeatTimeoutSeconds) {
  public EdgesConfig {
    if (heartbeatTimeoutSeconds < 1 || heartbeatTimeoutSeconds > 86_400) {
      throw new ConfigValueException(
          "edges.heartbeatTimeoutSeconds",
          "must be between 1 and 86400, got " + heartbeatTimeoutSeconds);
    }
  }

  /** {@link #heartbeatTimeoutSeconds} as a duration. */
  public Duration heartbeatTimeout() {
    return Duration.ofSeconds(heartbeatTimeoutSeconds);
  }

  /** The defaults of {@code conf/control-plane.yaml}. */
  public static EdgesConfig defaults() {
    return new EdgesConfig(30);
  }
}
