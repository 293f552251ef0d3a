package org.reelbox.control.config;

import java.time.Duration;
import org.reelbox.common.config.ConfigValueException;

/**
 * The admin console's settings: the {@code admin} section of {@code conf/control-plane.yaml}
 * (docs/web-ui.md, "Admin APIs the pages use").
 *
 * @param historyIntervalSeconds how often the dashboard's history takes a sample, 1–3600; absent
 *     means 60. The last 24 hours are kept in memory: 1440 samples at the default
 */
public record AdminConfig(Integer historyIntervalSeconds) {
  public AdminConfig {
    historyIntervalSeconds = historyIntervalSeconds == null ? 60 : historyIntervalSeconds;
    if (historyIntervalSeconds < 1 || historyIntervalSeconds > 3600) {
      throw new ConfigValueException(
          "admin.historyIntervalSeconds",
          "must be between 1 and 3600, got " + historyIntervalSeconds);
    }
  }

  public Duration historyInterval() {
    return Duration.ofSeconds(historyIntervalSeconds);
  }

  /** The defaults of {@code conf/control-plane.yaml}. */
  public static AdminConfig defaults() {
    return new AdminConfig(null);
  }
}
