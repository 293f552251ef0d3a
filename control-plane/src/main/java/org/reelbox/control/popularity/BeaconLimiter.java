package org.reelbox.control.popularity;

import java.time.Clock;
import org.reelbox.control.limit.TokenBuckets;

/**
 * Per-client-address token buckets for the anonymous view beacon: each address may send {@code
 * burst} beacons at once and {@code perSecond} a second after that, so one client cannot inflate a
 * video's score. At most {@code maxClients} addresses are remembered (see {@link TokenBuckets}).
 *
 * <p>Thread-safe.
 */
public final class BeaconLimiter {
  private final TokenBuckets buckets;

  public BeaconLimiter(Clock clock, double perSecond, int burst, int maxClients) {
    this.buckets = new TokenBuckets(clock, perSecond, burst, maxClients);
  }

  /** Takes one token of {@code client}'s bucket; false when it is empty (the beacon is refused). */
  public boolean tryAcquire(String client) {
    return buckets.tryAcquire(client);
  }

  /** How many addresses have a bucket now; for tests. */
  public int clients() {
    return buckets.keys();
  }
}
