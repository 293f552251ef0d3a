package org.reelbox.control.popularity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;

class BeaconLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

  @Test
  void burstThenRefillAtTheRate_perAddress() {
    BeaconLimiter limiter = new BeaconLimiter(clock, 2, 3, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("10.0.0.1")).isTrue();
    }
    assertThat(limiter.tryAcquire("10.0.0.1")).isFalse();
    // Another address has its own bucket.
    assertThat(limiter.tryAcquire("10.0.0.2")).isTrue();
    clock.advance(Duration.ofMillis(500));
    assertThat(limiter.tryAcquire("10.0.0.1")).isTrue();
    assertThat(limiter.tryAcquire("10.0.0.1")).isFalse();
    // Never more than the burst, however long it waited.
    clock.advance(Duration.ofHours(1));
    int allowed = 0;
    while (limiter.tryAcquire("10.0.0.1")) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(3);
  }

  @Test
  void memoryBounded_leastRecentlyUsedForgotten() {
    BeaconLimiter limiter = new BeaconLimiter(clock, 1, 1, 10);
    for (int i = 0; i < 1000; i++) {
      limiter.tryAcquire("10.0." + (i / 256) + "." + (i % 256));
    }
    assertThat(limiter.clients()).isEqualTo(10);
  }
}
