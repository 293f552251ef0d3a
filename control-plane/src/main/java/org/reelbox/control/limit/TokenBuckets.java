package org.reelbox.control.limit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per key (a client address, a username): each key may spend {@code burst} tokens
 * at once and {@code perSecond} a second after that. Memory is bounded: at most {@code maxKeys}
 * buckets, the least recently used forgotten first (a forgotten key starts again with a full
 * bucket, which errs towards letting requests in; a limiter sized for its traffic forgets only keys
 * idle long enough to have refilled anyway).
 *
 * <p>The callers: the anonymous view beacon (a token per beacon) and the login limiter (a token per
 * failed attempt, {@link #refund refunded} when the attempt succeeds).
 *
 * <p>Thread-safe (one lock; each call is a map lookup and some arithmetic).
 */
public final class TokenBuckets {
  private final Clock clock;
  private final double perSecond;
  private final double burst;
  private final Map<String, double[]> buckets;

  /**
   * @param perSecond tokens added a second, positive
   * @param burst the most tokens a bucket holds, and what a new one starts with; 1 or more
   * @param maxKeys the most buckets kept; 1 or more
   */
  public TokenBuckets(Clock clock, double perSecond, int burst, int maxKeys) {
    this.clock = requireNonNull(clock, "clock");
    if (!(perSecond > 0) || Double.isInfinite(perSecond) || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException(
          "perSecond, burst and maxKeys must be positive: "
              + perSecond
              + ", "
              + burst
              + ", "
              + maxKeys);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.buckets =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /** Takes one token of {@code key}'s bucket; false (and nothing taken) when it is empty. */
  public synchronized boolean tryAcquire(String key) {
    double[] b = refilled(key);
    if (b[0] < 1) {
      return false;
    }
    b[0] -= 1;
    return true;
  }

  /** Gives back one token taken by {@link #tryAcquire}; never fills a bucket beyond its burst. */
  public synchronized void refund(String key) {
    requireNonNull(key, "key");
    double[] b = buckets.get(key);
    if (b != null) {
      b[0] = Math.min(burst, b[0] + 1);
    }
  }

  /** How long until {@code key}'s bucket holds a whole token: zero when it holds one now. */
  public synchronized Duration timeToNextToken(String key) {
    requireNonNull(key, "key");
    double[] b = buckets.get(key);
    if (b == null) {
      return Duration.ZERO;
    }
    double tokens = refill(b);
    return tokens >= 1 ? Duration.ZERO : Duration.ofNanos((long) ((1 - tokens) / perSecond * 1e9));
  }

  /** How many keys have a bucket now; for tests. */
  public synchronized int keys() {
    return buckets.size();
  }

  private double[] refilled(String key) {
    requireNonNull(key, "key");
    // {tokens, time of the last refill in seconds}
    double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now()});
    refill(b);
    return b;
  }

  private double refill(double[] b) {
    double now = now();
    b[0] = Math.min(burst, b[0] + Math.max(0, now - b[1]) * perSecond);
    b[1] = Math.max(b[1], now);
    return b[0];
  }

  private double now() {
    return clock.millis() / 1000.0;
  }
}
