package org.reelbox.control.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.reelbox.common.config.ConfigValueException;
import org.reelbox.control.routing.CidrBlock;
import org.reelbox.control.routing.RegionStore;

/**
 * Viewer routing: the {@code routing} section of {@code conf/control-plane.yaml} (docs/edges.md,
 * "Routing").
 *
 * @param defaultRegion the region of an address in no CIDR block
 * @param popularityThreshold a video whose decayed view score in the viewer's region is below this
 *     is long-tail and plays from the origin; 0 sends every video to an edge when one is up
 * @param playTokenTtlSeconds how long a play URL's token lives, 60–604800
 * @param trustedProxies CIDR blocks whose {@code X-Forwarded-For} is believed; none by default
 */
public record RoutingConfig(
    String defaultRegion,
    double popularityThreshold,
    int playTokenTtlSeconds,
    List<String> trustedProxies) {
  public RoutingConfig {
    try {
      RegionStore.checkRegion(defaultRegion);
    } catch (IllegalArgumentException e) {
      throw new ConfigValueException("routing.defaultRegion", e.getMessage());
    }
    if (!(popularityThreshold >= 0) || Double.isInfinite(popularityThreshold)) {
      throw new ConfigValueException(
          "routing.popularityThreshold", "must be a number >= 0, got " + popularityThreshold);
    }
    if (playTokenTtlSeconds < 60 || playTokenTtlSeconds > 604_800) {
      throw new ConfigValueException(
          "routing.playTokenTtlSeconds",
          "must be between 60 and 604800, got " + playTokenTtlSeconds);
    }
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    for (String p : trustedProxies) {
      try {
        CidrBlock.parse(p);
      } catch (IllegalArgumentException e) {
        throw new ConfigValueException("routing.trustedProxies", e.getMessage());
      }
    }
  }

  /** {@link #trustedProxies} parsed. */
  public List<CidrBlock> trustedProxyBlocks() {
    List<CidrBlock> blocks = new ArrayList<>();
    trustedProxies.forEach(p -> blocks.add(CidrBlock.parse(p)));
    return blocks;
  }

  public Duration playTokenTtl() {
    return Duration.ofSeconds(playTokenTtlSeconds);
  }

  /** The defaults of {@code conf/control-plane.yaml}. */
  public static RoutingConfig defaults() {
    return new RoutingConfig("default", 3.0, 21_600, List.of());
  }
}
