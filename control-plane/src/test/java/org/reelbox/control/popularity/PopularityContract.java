package org.reelbox.control.popularity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.control.store.VideoId;

/**
 * {@link JdbcPopularity} on a real database (H2 and PostgreSQL subclasses), with fixed instants.
 */
abstract class PopularityContract {
  static final Duration HALF_LIFE = Duration.ofHours(6);
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final VideoId A = VideoId.of("aaaaaaaaaaa");
  static final VideoId B = VideoId.of("bbbbbbbbbbb");
  static final VideoId C = VideoId.of("ccccccccccc");

  protected Popularity popularity;

  /** A data source on an empty, migrated database. */
  protected abstract DataSource dataSource() throws Exception;

  protected void release() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    popularity = new JdbcPopularity(dataSource(), HALF_LIFE);
  }

  @AfterEach
  void close() throws Exception {
    release();
  }

  @Test
  void score_neverViewed_isZero() {
    assertThat(popularity.score(A, "isp-a", T0)).isZero();
    assertThat(popularity.top("isp-a", 10, T0)).isEmpty();
  }

  @Test
  void score_oneHalfLifeLater_isExactlyHalf() {
    popularity.recordViews(A, "isp-a", 8, T0);

    assertThat(popularity.score(A, "isp-a", T0)).isCloseTo(8, within(1e-9));
    assertThat(popularity.score(A, "isp-a", T0.plus(HALF_LIFE))).isCloseTo(4, within(1e-9));
    assertThat(popularity.score(A, "isp-a", T0.plus(HALF_LIFE.multipliedBy(3))))
        .isCloseTo(1, within(1e-9));
    // Decay needs no write: the same row read at any instant.
    assertThat(popularity.score(A, "isp-a", T0.plus(HALF_LIFE.dividedBy(2))))
        .isCloseTo(8 / Math.sqrt(2), within(1e-9));
  }

  @Test
  void recordViews_addsToTheDecayedScore() {
    popularity.recordViews(A, "isp-a", 4, T0);
    popularity.recordViews(A, "isp-a", 1, T0.plus(HALF_LIFE));

    // 4 halved to 2, plus 1, then halved again.
    assertThat(popularity.score(A, "isp-a", T0.plus(HALF_LIFE))).isCloseTo(3, within(1e-9));
    assertThat(popularity.score(A, "isp-a", T0.plus(HALF_LIFE.multipliedBy(2))))
        .isCloseTo(1.5, within(1e-9));
  }

  @Test
  void recordViews_farFromTheReferenceInstant_stillExact() {
    // Two years of one-hour half-lives is ~17500 half-lives: 2^17500 overflows a double, the
    // logarithm does not.
    Popularity hourly = new JdbcPopularity(dataSourceAgain(), Duration.ofHours(1));
    Instant later = Instant.parse("2028-01-01T00:00:00Z");
    hourly.recordViews(C, "far", 10, later);
    hourly.recordViews(C, "far", 10, later);
    assertThat(hourly.score(C, "far", later)).isCloseTo(20, within(1e-6));
    assertThat(hourly.score(C, "far", later.plus(Duration.ofHours(1)))).isCloseTo(10, within(1e-6));
  }

  @Test
  void recordViews_afterAVeryLongGap_theOldScoreIsNegligibleNotAnError() {
    Popularity minutely = new JdbcPopularity(dataSourceAgain(), Duration.ofMinutes(1));
    minutely.recordViews(C, "gap", 1, T0);
    // 1000 half-lives later (e^-693) and 100 000 later (far below the smallest double).
    minutely.recordViews(C, "gap", 1, T0.plus(Duration.ofMinutes(1000)));
    assertThat(minutely.score(C, "gap", T0.plus(Duration.ofMinutes(1000))))
        .isCloseTo(1, within(1e-9));
    minutely.recordViews(C, "gap", 2, T0.plus(Duration.ofMinutes(101_000)));
    assertThat(minutely.score(C, "gap", T0.plus(Duration.ofMinutes(101_000))))
        .isCloseTo(2, within(1e-9));
    // And the other way: a view far older than the stored score.
    minutely.recordViews(C, "gap", 5, T0);
    assertThat(minutely.score(C, "gap", T0.plus(Duration.ofMinutes(101_000))))
        .isCloseTo(2, within(1e-9));
  }

  /** The same database as {@link #popularity}'s; subclasses keep it open. */
  protected abstract DataSource dataSourceAgain();

  @Test
  void top_bestFirst_perRegion_limited_decayed() {
    popularity.recordViews(A, "isp-a", 10, T0);
    popularity.recordViews(B, "isp-a", 3, T0.plus(HALF_LIFE.multipliedBy(2)));
    popularity.recordViews(C, "isp-a", 1, T0.plus(HALF_LIFE.multipliedBy(2)));
    popularity.recordViews(C, "isp-b", 50, T0);

    Instant now = T0.plus(HALF_LIFE.multipliedBy(2));
    // A decayed to 2.5, below B's fresh 3.
    List<Popularity.Ranked> top = popularity.top("isp-a", 10, now);
    assertThat(top).extracting(Popularity.Ranked::video).containsExactly(B, A, C);
    assertThat(top.get(0).score()).isCloseTo(3, within(1e-9));
    assertThat(top.get(1).score()).isCloseTo(2.5, within(1e-9));
    assertThat(popularity.top("isp-a", 2, now))
        .extracting(Popularity.Ranked::video)
        .containsExactly(B, A);
    // A video popular only in isp-b is not in isp-a's list, and the other way round.
    assertThat(popularity.top("isp-b", 10, now))
        .extracting(Popularity.Ranked::video)
        .containsExactly(C);
    assertThat(popularity.score(A, "isp-b", now)).isZero();
  }

  @Test
  void recordViews_concurrent_noViewLost() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        done.add(
            pool.submit(
                () -> {
                  for (int j = 0; j < 25; j++) {
                    popularity.recordViews(A, "race", 1, T0);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(popularity.score(A, "race", T0)).isCloseTo(200, within(1e-6));
  }

  @Test
  void recordViews_badArguments_refused() {
    assertThatThrownBy(() -> popularity.recordViews(A, "isp-a", 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> popularity.recordViews(A, "isp-a", Double.NaN, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> popularity.top("isp-a", 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
