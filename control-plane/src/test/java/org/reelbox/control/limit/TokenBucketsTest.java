package org.reelbox.control.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;

class TokenBucketsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

  @Test
  void tryAcquire_burstThenRefillAtTheRate_perKey() {
    TokenBuckets buckets = new TokenBuckets(clock, 2, 3, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(buckets.tryAcquire("a")).isTrue();
    }
    assertThat(buckets.tryAcquire("a")).isFalse();
    assertThat(buckets.tryAcquire("b")).isTrue();
    clock.advance(Duration.ofMillis(500));
    assertThat(buckets.tryAcquire("a")).isTrue();
    assertThat(buckets.tryAcquire("a")).isFalse();
  }

  @Test
  void refund_givesBackOneTokenButNeverBeyondBurst() {
    TokenBuckets buckets = new TokenBuckets(clock, 0.001, 2, 100);
    buckets.tryAcquire("a");
    buckets.tryAcquire("a");
    assertThat(buckets.tryAcquire("a")).isFalse();

    buckets.refund("a");
    assertThat(buckets.tryAcquire("a")).isTrue();
    assertThat(buckets.tryAcquire("a")).isFalse();

    for (int i = 0; i < 10; i++) {
      buckets.refund("a");
    }
    assertThat(buckets.tryAcquire("a")).isTrue();
    assertThat(buckets.tryAcquire("a")).isTrue();
    assertThat(buckets.tryAcquire("a")).isFalse();
    // No bucket, nothing to refund: still a full bucket of 2 later.
    buckets.refund("never-seen");
    assertThat(buckets.keys()).isEqualTo(1);
  }

  @Test
  void timeToNextToken_zeroWhileTokensLeft_thenTheRefillTime() {
    TokenBuckets buckets = new TokenBuckets(clock, 1.0 / 60, 1, 100);
    assertThat(buckets.timeToNextToken("a")).isZero();
    buckets.tryAcquire("a");
    assertThat(buckets.timeToNextToken("a")).isEqualTo(Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(45));
    assertThat(buckets.timeToNextToken("a")).isEqualTo(Duration.ofSeconds(15));
    clock.advance(Duration.ofSeconds(15));
    assertThat(buckets.timeToNextToken("a")).isZero();
    assertThat(buckets.tryAcquire("a")).isTrue();
  }

  @Test
  void memoryBounded_leastRecentlyUsedForgotten() {
    TokenBuckets buckets = new TokenBuckets(clock, 1, 1, 10);
    for (int i = 0; i < 1000; i++) {
      buckets.tryAcquire("k" + i);
    }
    assertThat(buckets.keys()).isEqualTo(10);
  }

  @Test
  void constructor_badArguments_throw() {
    assertThatThrownBy(() -> new TokenBuckets(clock, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBuckets(clock, 1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBuckets(clock, 1, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBuckets(clock, Double.NaN, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
