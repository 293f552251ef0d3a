package org.reelbox.control.edges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.Database;

/** Join tokens on the embedded database: minted, redeemed once, expired, refused. */
class EdgeJoinTokensTest {
  private static final List<String> ORIGINS = List.of("http://origin1:8082", "https://origin2");

  @TempDir Path dataDir;
  private Database database;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T05:00:00Z"));
  private EdgeJoinTokens tokens;

  @BeforeEach
  void open() {
    database = Database.open(DatabaseConfig.embedded(), dataDir);
    tokens = new EdgeJoinTokens(database.dataSource(), clock, new SecureRandom());
  }

  @AfterEach
  void close() throws Exception {
    database.close();
  }

  @Test
  void mint_thenRedeem_grantsRegionAndOrigins_once() {
    EdgeJoinTokens.Minted minted = tokens.mint("isp-a", ORIGINS, Duration.ofMinutes(60), "admin");
    assertThat(minted.token()).startsWith("rbj_").hasSize(4 + 43);
    assertThat(minted.expiresAt()).isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));

    EdgeJoinTokens.Grant grant = tokens.redeem(minted.token(), "192.0.2.7");
    assertThat(grant.region()).isEqualTo("isp-a");
    assertThat(grant.originUrls()).isEqualTo(ORIGINS);

    assertError(
        () -> tokens.redeem(minted.token(), "192.0.2.8"), ErrorCode.CONFLICT, "already used");
  }

  @Test
  void redeem_atExpiry_410_andStillUnspent() {
    EdgeJoinTokens.Minted minted = tokens.mint("isp-a", ORIGINS, Duration.ofMinutes(5), "admin");
    clock.advance(Duration.ofMinutes(5));
    assertError(() -> tokens.redeem(minted.token(), "x"), ErrorCode.TOKEN_EXPIRED, "expired");
    clock.advance(Duration.ofMinutes(-1)); // a clock step back: the token was never spent
    assertThat(tokens.redeem(minted.token(), "x").region()).isEqualTo("isp-a");
  }

  @Test
  void redeem_unknownOrMalformed_403() {
    tokens.mint("isp-a", ORIGINS, Duration.ofMinutes(5), "admin");
    String unknown = "rbj_" + "A".repeat(43);
    assertError(() -> tokens.redeem(unknown, "x"), ErrorCode.TOKEN_INVALID, "unknown join token");
    for (String bad :
        new String[] {null, "", "rbj_short", "A".repeat(47), "rbj_" + "!".repeat(43)}) {
      assertError(() -> tokens.redeem(bad, "x"), ErrorCode.TOKEN_INVALID, "not a join token");
    }
  }

  @Test
  void redeem_racingBoxes_exactlyOneWins() throws Exception {
    String token = tokens.mint("isp-a", ORIGINS, Duration.ofMinutes(5), "admin").token();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<Boolean> redeem =
            () -> {
              try {
                tokens.redeem(token, "racer");
                return true;
              } catch (ApiException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                return false;
              }
            };
        results.add(pool.submit(redeem));
      }
      int wins = 0;
      for (Future<Boolean> r : results) {
        wins += r.get() ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void mint_badInput_validationFailed_nothingStored() {
    assertError(
        () -> tokens.mint("", ORIGINS, Duration.ofHours(1), "a"),
        ErrorCode.VALIDATION_FAILED,
        "region");
    assertError(
        () -> tokens.mint("isp a", ORIGINS, Duration.ofHours(1), "a"),
        ErrorCode.VALIDATION_FAILED,
        "region");
    assertError(
        () -> tokens.mint("-isp", ORIGINS, Duration.ofHours(1), "a"),
        ErrorCode.VALIDATION_FAILED,
        "region");
    assertError(
        () -> tokens.mint("isp-a", List.of(), Duration.ofHours(1), "a"),
        ErrorCode.VALIDATION_FAILED,
        "originUrls");
    for (String url :
        List.of(
            "ftp://o", "/relative", "http://u:p@o", "http://o/?q=1", "http://o/#f", "http://a,b")) {
      assertError(
          () -> tokens.mint("isp-a", List.of(url), Duration.ofHours(1), "a"),
          ErrorCode.VALIDATION_FAILED,
          "originUrls");
    }
    assertError(
        () -> tokens.mint("isp-a", ORIGINS, Duration.ofSeconds(30), "a"),
        ErrorCode.VALIDATION_FAILED,
        "1 minute to 7 days");
    assertError(
        () -> tokens.mint("isp-a", ORIGINS, Duration.ofDays(8), "a"),
        ErrorCode.VALIDATION_FAILED,
        "1 minute to 7 days");
  }

  @Test
  void onlyTheHashIsStored() throws Exception {
    String token = tokens.mint("isp-a", ORIGINS, Duration.ofMinutes(5), "admin").token();
    try (var c = database.dataSource().getConnection();
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT token_hash FROM edge_join_tokens")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1))
          .isEqualTo(EdgeJoinTokens.hash(token))
          .doesNotContain(token.substring(4));
    }
  }

  private static void assertError(Runnable call, ErrorCode code, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }
}
