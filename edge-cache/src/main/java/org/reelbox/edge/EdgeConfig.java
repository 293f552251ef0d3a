package org.reelbox.edge;

import java.time.Duration;
import java.util.List;
import org.reelbox.common.config.Checks;
import org.reelbox.common.config.ClusterConfig;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.common.config.HttpConfig;

/**
 * The edge box's configuration: {@code conf/edge.yaml}.
 *
 * @param region the region (ISP) this box serves, as named in the control plane's CIDR table
 * @param publicUrl the URL viewers reach this box at; empty means the bound address
 * @param originUrls origins to fetch misses from, in failover order
 * @param cacheBytes the cache's disk budget in bytes
 * @param heartbeatSeconds how often the box reports to the control plane's edge registry, 1–{@value
 *     #MAX_HEARTBEAT_SECONDS} seconds (docs/edges.md); the control plane's {@code
 *     edges.heartbeatTimeoutSeconds} should be about three of these
 */
public record EdgeConfig(
    HttpConfig http,
    String dataDir,
    ClusterConfig cluster,
    String region,
    String publicUrl,
    List<String> originUrls,
    long cacheBytes,
    int heartbeatSeconds) {
  /** An hour: beyond that, a box's health in the registry says nothing useful. */
  public static final int MAX_HEARTBEAT_SECONDS = 3600;

  public EdgeConfig {
    Checks.required("http", http);
    Checks.nonBlank("dataDir", dataDir);
    Checks.required("cluster", cluster);
    Checks.nonBlank("region", region);
    publicUrl = Checks.httpUrl("publicUrl", publicUrl, true);
    Checks.required("originUrls", originUrls);
    if (originUrls.isEmpty()) {
      throw new ConfigValueException("originUrls", "must name at least one origin");
    }
    originUrls = originUrls.stream().map(u -> Checks.httpUrl("originUrls", u, false)).toList();
    Checks.positive("cacheBytes", cacheBytes);
    if (heartbeatSeconds < 1 || heartbeatSeconds > MAX_HEARTBEAT_SECONDS) {
      throw new ConfigValueException(
          "heartbeatSeconds",
          "must be between 1 and " + MAX_HEARTBEAT_SECONDS + ", got " + heartbeatSeconds);
    }
  }

  /** {@link #heartbeatSeconds} as a duration. */
  public Duration heartbeatInterval() {
    return Duration.ofSeconds(heartbeatSeconds);
  }
}
