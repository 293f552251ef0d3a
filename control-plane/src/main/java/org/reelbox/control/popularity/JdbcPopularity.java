package org.reelbox.control.popularity;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.reelbox.control.store.Sql;
import org.reelbox.control.store.VideoId;

/**
 * {@link Popularity} in the {@code video_popularity} table (migration V10, H2 and PostgreSQL).
 *
 * <p>Each row holds {@code log_score = ln(s) + (t − EPOCH)·ln2 / halfLife}: the natural logarithm
 * of the score s it had at its last update t, normalised to the fixed instant {@link #EPOCH}. So
 * the score at any instant is {@code exp(log_score − (now − EPOCH)·ln2 / halfLife)} — decay needs
 * no write — and a larger {@code log_score} is a larger score at every instant, so top-N is one
 * index scan. Adding v views at t is {@code ln(e^L + e^a)} with {@code a = ln v + (t − EPOCH)·ln2 /
 * halfLife}, computed as {@code max(L, a) + ln(1 + e^−|L − a|)} (no overflow) in one UPDATE
 * statement: the read-modify-write is atomic in the database, so concurrent beacons never lose a
 * view. The first view of a (video, region) is an INSERT; two racing on it are resolved by the
 * primary key (the loser updates).
 *
 * <p>Changing the half-life re-reads the stored values with the new one: views keep their order but
 * old views count as if they had decayed at the new rate since {@link #EPOCH}; routing and fill
 * lists settle within a few half-lives.
 */
public final class JdbcPopularity implements Popularity {
  /** The reference instant of every stored score. */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private static final double LN2 = Math.log(2);

  private final Sql sql;
  private final double halfLifeSeconds;

  public JdbcPopularity(DataSource dataSource, Duration halfLife) {
    this.sql = new Sql(requireNonNull(dataSource, "dataSource"));
    requireNonNull(halfLife, "halfLife");
    if (halfLife.isNegative() || halfLife.isZero()) {
      throw new IllegalArgumentException("halfLife must be positive: " + halfLife);
    }
    this.halfLifeSeconds = halfLife.toNanos() / 1e9;
  }

  /** ln of the factor that normalises a score at {@code at} to {@link #EPOCH}. */
  private double shift(Instant at) {
    double seconds = Duration.between(EPOCH, at).toNanos() / 1e9;
    return seconds * LN2 / halfLifeSeconds;
  }

  @Override
  public void recordViews(VideoId video, String region, double views, Instant at) {
    requireNonNull(video, "video");
    requireNonNull(region, "region");
    requireNonNull(at, "at");
    if (!(views > 0) || Double.isInfinite(views)) {
      throw new IllegalArgumentException("views must be positive and finite: " + views);
    }
    double added = Math.log(views) + shift(at);
    sql.run(
        "record views of " + video + " in " + region,
        c -> {
          if (add(c, video, region, added, at) == 0) {
            try {
              Sql.update(
                  c,
                  "INSERT INTO video_popularity (video_id, region, log_score, updated_at)"
                      + " VALUES (?, ?, ?, ?)",
                  s -> {
                    s.setString(1, video.value());
                    s.setString(2, region);
                    s.setDouble(3, added);
                    Sql.setInstant(s, 4, at);
                  });
            } catch (SQLException e) {
              if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())
                  || add(c, video, region, added, at) == 0) {
                throw e;
              }
            }
          }
          return null;
        });
  }

  private static int add(Connection c, VideoId video, String region, double added, Instant at)
      throws SQLException {
    return Sql.update(
        c,
        // LEAST(…, 700): PostgreSQL raises an underflow error where EXP's result rounds to 0
        // (below e^-745); e^-700 is already nothing next to 1.
        "UPDATE video_popularity SET log_score = GREATEST(log_score, ?)"
            + " + LN(1 + EXP(-LEAST(ABS(log_score - ?), 700))), updated_at = ?"
            + " WHERE video_id = ? AND region = ?",
        s -> {
          s.setDouble(1, added);
          s.setDouble(2, added);
          Sql.setInstant(s, 3, at);
          s.setString(4, video.value());
          s.setString(5, region);
        });
  }

  @Override
  public double score(VideoId video, String region, Instant at) {
    requireNonNull(video, "video");
    requireNonNull(region, "region");
    double shift = shift(requireNonNull(at, "at"));
    return sql.run(
            "read the score of " + video + " in " + region,
            c ->
                Sql.queryOne(
                    c,
                    "SELECT log_score FROM video_popularity WHERE video_id = ? AND region = ?",
                    s -> {
                      s.setString(1, video.value());
                      s.setString(2, region);
                    },
                    row -> Math.exp(row.getDouble(1) - shift)))
        .orElse(0.0);
  }

  @Override
  public List<Ranked> top(String region, int limit, Instant at) {
    requireNonNull(region, "region");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    double shift = shift(requireNonNull(at, "at"));
    return sql.run(
        "read the top videos of " + region,
        c ->
            Sql.queryList(
                c,
                "SELECT video_id, log_score FROM video_popularity WHERE region = ?"
                    + " ORDER BY log_score DESC, video_id FETCH FIRST "
                    + limit
                    + " ROWS ONLY",
                s -> s.setString(1, region),
                row ->
                    new Ranked(VideoId.of(row.getString(1)), Math.exp(row.getDouble(2) - shift))));
  }
}
