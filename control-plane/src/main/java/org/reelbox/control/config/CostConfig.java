package org.reelbox.control.config;

import java.math.BigDecimal;
import org.reelbox.common.config.ConfigValueException;

/**
 * The cost report's settings: the {@code cost} section of {@code conf/control-plane.yaml}
 * (docs/edges.md, "Cost").
 *
 * @param cdnPricePerGb what a rented CDN would bill per GB (10^9 bytes) served to viewers, in US
 *     dollars, 0–1000. The book's figure, $0.02, by default
 */
public record CostConfig(BigDecimal cdnPricePerGb) {
  public CostConfig {
    if (cdnPricePerGb == null) {
      cdnPricePerGb = DEFAULT_CDN_PRICE_PER_GB;
    }
    if (cdnPricePerGb.signum() < 0 || cdnPricePerGb.compareTo(BigDecimal.valueOf(1000)) > 0) {
      throw new ConfigValueException(
          "cost.cdnPricePerGb", "must be between 0 and 1000, got " + cdnPricePerGb);
    }
  }

  /** $0.02 per GB: the CDN price of System Design Interview's "Design YouTube". */
  public static final BigDecimal DEFAULT_CDN_PRICE_PER_GB = new BigDecimal("0.02");

  /** The defaults of {@code conf/control-plane.yaml}. */
  public static CostConfig defaults() {
    return new CostConfig(DEFAULT_CDN_PRICE_PER_GB);
  }
}
