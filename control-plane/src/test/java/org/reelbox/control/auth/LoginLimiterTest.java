package org.reelbox.control.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;

class LoginLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final LoginLimiter limiter = new LoginLimiter(clock);

  private void fail(String username, String address) {
    assertThat(limiter.tryBegin(username, address)).as("%s from %s", username, address).isEmpty();
  }

  @Test
  void username_burstOfFailures_thenRefusedWithWaitOfOneRefill() {
    for (int i = 0; i < LoginLimiter.USERNAME_BURST; i++) {
      fail("alice", "10.0.0." + i);
    }

    assertThat(limiter.tryBegin("alice", "10.0.0.99"))
        .contains(Duration.ofSeconds(LoginLimiter.USERNAME_REFILL_SECONDS));
    // Case does not make another name.
    assertThat(limiter.tryBegin("ALICE", "10.0.0.99")).isPresent();
    // Another name from the same addresses is not affected.
    fail("bob", "10.0.0.0");

    clock.advance(Duration.ofSeconds(LoginLimiter.USERNAME_REFILL_SECONDS - 10));
    assertThat(limiter.tryBegin("alice", "10.0.0.99")).contains(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    fail("alice", "10.0.0.99");
    assertThat(limiter.tryBegin("alice", "10.0.0.99")).isPresent();
  }

  @Test
  void address_burstOfFailuresOverManyNames_thenRefused() {
    for (int i = 0; i < LoginLimiter.ADDRESS_BURST; i++) {
      fail("user" + i, "192.0.2.7");
    }

    assertThat(limiter.tryBegin("someone-else", "192.0.2.7"))
        .contains(Duration.ofSeconds(LoginLimiter.ADDRESS_REFILL_SECONDS));
    // The refused attempt took no token of the name: it may still try from elsewhere.
    for (int i = 0; i < LoginLimiter.USERNAME_BURST; i++) {
      fail("someone-else", "198.51.100.1");
    }
  }

  @Test
  void succeeded_refundsBothTokens() {
    for (int i = 0; i < 100; i++) {
      fail("alice", "10.0.0.1");
      limiter.succeeded("alice", "10.0.0.1");
    }
    for (int i = 0; i < LoginLimiter.USERNAME_BURST; i++) {
      fail("alice", "10.0.0.1");
    }
    assertThat(limiter.tryBegin("alice", "10.0.0.1")).isPresent();
  }

  @Test
  void overLongNames_shareOneBucket() {
    String base = "x".repeat(100);
    for (int i = 0; i < LoginLimiter.USERNAME_BURST; i++) {
      fail(base + i, "10.0.0." + i);
    }
    assertThat(limiter.tryBegin(base + "other", "10.0.0.99")).isPresent();
  }
}
