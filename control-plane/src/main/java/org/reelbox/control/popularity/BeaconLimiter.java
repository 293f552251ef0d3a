package org.reelbox.control.popularity;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-client-address token buckets for the anonymous view beacon: each address may send {@code
 * burst} beacons at once and {@code perSecond} a second after that, so one client cannot inflate a
 * video's score. Memory is bounded: at most {@code maxClients} buckets, the least recently used
 * forgotten first (a forgotten address starts again with a full bucket, which only errs towards
 * letting views in).
 *
 * <p>Thread-safe (one lock; each call is a map lookup and some arithmetic).
 */
public final class BeaconLimiter {
  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private final Map<String, double[]> buckets;

  public BeaconLimiter(Clock clock, double perSecond, int burst, int maxClients) {
    this.clock = requireNonNull(clock, "clock");
    if (!(perSecond > 0) || burst < 1 || maxClients < 1) {
      throw new IllegalArgumentException(
          "perSecond, burst and maxClients must be positive: "
              + perSecond
              + ", "
              + burst
              + ", "
              + maxClients);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.buckets =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > maxClients;
          }
        };
  }

  /** Takes one token of {@code client}'s bucket; false when it is empty (the beacon is refused). */
  public synchronized boolean tryAcquire(String client) {
    double now = clock.millis() / 1000.0;
    // {tokens, time of the last refill}
    double[] b = buckets.computeIfAbsent(client, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + Math.max(0, now - b[1]) * perSecond);
    b[1] = now;
    if (b[0] < 1) {
      return false;
    }
    b[0] -= 1;
    return true;
  }

  /** How many addresses have a bucket now; for tests. */
  public synchronized int clients() {
    return buckets.size();
  }
}
