package org.reelbox.control.cost;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What bytes served to viewers would cost on a rented CDN (docs/edges.md, "Cost"). A GB is 10^9
 * bytes, as CDNs bill; dollars are kept exact as decimals and rounded to the micro-dollar only when
 * shown.
 *
 * <ul>
 *   <li>{@code cdnEquivalentUsd} = (edge + origin bytes) × price: the bill if a CDN served every
 *       viewer byte;
 *   <li>{@code savingUsd} = edge bytes × price: the part of that bill the owned boxes absorbed. The
 *       origin's direct bytes go out over paid transit either way, so they save nothing.
 * </ul>
 */
public record CostPricing(BigDecimal cdnPricePerGb) {
  private static final BigDecimal BYTES_PER_GB = BigDecimal.valueOf(1_000_000_000L);

  /** Dollars are shown to the micro-dollar: a byte at $0.02/GB is 2 × 10^-11 $. */
  public static final int USD_SCALE = 6;

  public CostPricing {
    requireNonNull(cdnPricePerGb, "cdnPricePerGb");
    if (cdnPricePerGb.signum() < 0) {
      throw new IllegalArgumentException("cdnPricePerGb must be non-negative: " + cdnPricePerGb);
    }
  }

  /** The CDN price of {@code bytes}, rounded half-up to {@link #USD_SCALE} decimals. */
  public BigDecimal usd(long bytes) {
    return BigDecimal.valueOf(bytes)
        .multiply(cdnPricePerGb)
        .divide(BYTES_PER_GB, USD_SCALE, RoundingMode.HALF_UP);
  }

  public BigDecimal cdnEquivalentUsd(TrafficLedger.Day day) {
    return usd(day.edgeBytes() + day.originBytes());
  }

  public BigDecimal savingUsd(TrafficLedger.Day day) {
    return usd(day.edgeBytes());
  }
}
