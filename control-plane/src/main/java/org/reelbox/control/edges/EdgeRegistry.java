package org.reelbox.control.edges;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.reelbox.common.json.Json;
import org.reelbox.control.config.EdgesConfig;
import org.reelbox.control.store.Sql;

/**
 * The durable registry of edge boxes (docs/edges.md), in the {@code edges} table of the metadata
 * database: a box's first heartbeat registers it, every later one replaces what it reported and
 * moves {@code last_seen_at}. A box is healthy while its latest heartbeat is younger than the
 * configured timeout; nothing is ever deleted on a timeout, so a box that comes back keeps its
 * {@code firstSeenAt}.
 *
 * <p>Thread-safe; every method blocks on JDBC, so callers on an event loop go through a worker.
 */
public final class EdgeRegistry {
  private static final String COLUMNS =
      "edge_id, region, public_url, capacity_bytes, stats, heartbeats, first_seen_at, last_seen_at";
  private static final String READ_COLUMNS = COLUMNS + ", draining, error_rate";

  /**
   * The fewest requests between two heartbeats that say anything about a box's error rate: below it
   * (a quiet night) the rate counts as 0, so one failed request is not an outage.
   */
  public static final long MIN_REQUESTS_FOR_ERROR_RATE = 20;

  private final Sql sql;
  private final Clock clock;
  private final Duration heartbeatTimeout;
  private final double maxErrorRate;

  /** With {@link EdgesConfig#DEFAULT_MAX_ERROR_RATE}. */
  public EdgeRegistry(DataSource dataSource, Clock clock, Duration heartbeatTimeout) {
    this(dataSource, clock, heartbeatTimeout, EdgesConfig.DEFAULT_MAX_ERROR_RATE);
  }

  /**
   * @param heartbeatTimeout a box whose latest heartbeat is at least this old is not healthy
   * @param maxErrorRate a box that answered more than this share of its requests with a 5xx between
   *     its last two heartbeats is not healthy, 0–1
   */
  public EdgeRegistry(
      DataSource dataSource, Clock clock, Duration heartbeatTimeout, double maxErrorRate) {
    if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
      throw new IllegalArgumentException("maxErrorRate must be within 0..1: " + maxErrorRate);
    }
    this.maxErrorRate = maxErrorRate;
    this.sql = new Sql(requireNonNull(dataSource, "dataSource"));
    this.clock = requireNonNull(clock, "clock");
    this.heartbeatTimeout = requireNonNull(heartbeatTimeout, "heartbeatTimeout");
    if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
      throw new IllegalArgumentException("heartbeatTimeout must be positive: " + heartbeatTimeout);
    }
  }

  /** What a heartbeat did. */
  public record Registration(EdgeRecord edge, boolean registered) {
    public Registration {
      requireNonNull(edge, "edge");
    }
  }

  /**
   * Records a heartbeat: registers the box if it is new ({@code registered}), else replaces its
   * region, URL, capacity and stats and moves its last-seen time to now.
   */
  public Registration heartbeat(EdgeHeartbeat beat) {
    requireNonNull(beat, "beat");
    Instant now = clock.instant();
    String stats = Json.write(beat.stats());
    return sql.run(
        "record the heartbeat of edge " + beat.edgeId(),
        c -> {
          // Update first: every heartbeat but a box's first finds its row. Two first heartbeats
          // at once (a box restarted mid-request) race on the insert; the loser updates.
          double errorRate =
              errorRate(find(c, beat.edgeId()).map(EdgeRecord::stats).orElse(null), beat.stats());
          if (update(c, beat, stats, now, errorRate) == 0) {
            try {
              insert(c, beat, stats, now, errorRate);
              return new Registration(find(c, beat.edgeId()).orElseThrow(), true);
            } catch (SQLException e) {
              if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
              }
              if (update(c, beat, stats, now, errorRate) == 0) {
                throw e;
              }
            }
          }
          return new Registration(find(c, beat.edgeId()).orElseThrow(), false);
        });
  }

  /**
   * The share of requests answered with a 5xx between two reports of one box: the difference of its
   * counters, or the counters themselves on a first report or after a restart (a counter went
   * down). 0 below {@link #MIN_REQUESTS_FOR_ERROR_RATE} requests.
   */
  static double errorRate(EdgeStatsReport previous, EdgeStatsReport current) {
    long requests = current.requests();
    long errors = current.serverErrors();
    if (previous != null
        && previous.requests() <= current.requests()
        && previous.serverErrors() <= current.serverErrors()) {
      requests -= previous.requests();
      errors -= previous.serverErrors();
    }
    if (requests < MIN_REQUESTS_FOR_ERROR_RATE) {
      return 0;
    }
    return Math.min(1.0, (double) errors / requests);
  }

  private static int update(
      Connection c, EdgeHeartbeat beat, String stats, Instant now, double errorRate)
      throws SQLException {
    return Sql.update(
        c,
        "UPDATE edges SET region = ?, public_url = ?, capacity_bytes = ?, stats = ?,"
            + " heartbeats = heartbeats + 1, last_seen_at = ?, error_rate = ? WHERE edge_id = ?",
        s -> {
          s.setString(1, beat.region());
          s.setString(2, beat.publicUrl());
          s.setLong(3, beat.capacityBytes());
          s.setString(4, stats);
          Sql.setInstant(s, 5, now);
          s.setDouble(6, errorRate);
          s.setString(7, beat.edgeId());
        });
  }

  private static void insert(
      Connection c, EdgeHeartbeat beat, String stats, Instant now, double errorRate)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO edges (" + COLUMNS + ", error_rate) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)")) {
      s.setString(1, beat.edgeId());
      s.setString(2, beat.region());
      s.setString(3, beat.publicUrl());
      s.setLong(4, beat.capacityBytes());
      s.setString(5, stats);
      Sql.setInstant(s, 6, now);
      Sql.setInstant(s, 7, now);
      s.setDouble(8, errorRate);
      s.executeUpdate();
    }
  }

  /** The box with this id, if it ever sent a heartbeat. */
  public Optional<EdgeRecord> find(String edgeId) {
    if (!EdgeHeartbeat.isEdgeId(edgeId)) {
      return Optional.empty();
    }
    return sql.run("read edge " + edgeId, c -> find(c, edgeId));
  }

  private static Optional<EdgeRecord> find(Connection c, String edgeId) throws SQLException {
    return Sql.queryOne(
        c,
        "SELECT " + READ_COLUMNS + " FROM edges WHERE edge_id = ?",
        s -> s.setString(1, edgeId),
        EdgeRegistry::read);
  }

  /** Every box that ever sent a heartbeat, by region, then id. */
  public List<EdgeRecord> edges() {
    return sql.run(
        "list the edges",
        c ->
            Sql.queryList(
                c,
                "SELECT " + READ_COLUMNS + " FROM edges ORDER BY region, edge_id",
                s -> {},
                EdgeRegistry::read));
  }

  /**
   * The boxes of {@code region} that may take a new viewer now: healthy (by the index on region and
   * last-seen time) and not draining. In no particular order; routing orders them.
   */
  public List<EdgeRecord> routableEdges(String region) {
    requireNonNull(region, "region");
    Instant freshAfter = clock.instant().minus(heartbeatTimeout);
    return sql.run(
        "list the routable edges of region " + region,
        c ->
            Sql.queryList(
                c,
                "SELECT "
                    + READ_COLUMNS
                    + " FROM edges WHERE region = ? AND last_seen_at > ? AND draining = FALSE"
                    + " AND error_rate <= ?",
                s -> {
                  s.setString(1, region);
                  Sql.setInstant(s, 2, freshAfter);
                  s.setDouble(3, maxErrorRate);
                },
                EdgeRegistry::read));
  }

  /**
   * Drains a box ({@code draining} true: routing sends it no new viewers) or returns it to service.
   * Empty if no box has this id. A heartbeat never changes it.
   */
  public Optional<EdgeRecord> setDraining(String edgeId, boolean draining) {
    if (!EdgeHeartbeat.isEdgeId(edgeId)) {
      return Optional.empty();
    }
    return sql.run(
        (draining ? "drain" : "undrain") + " edge " + edgeId,
        c -> {
          int changed =
              Sql.update(
                  c,
                  "UPDATE edges SET draining = ? WHERE edge_id = ?",
                  s -> {
                    s.setBoolean(1, draining);
                    s.setString(2, edgeId);
                  });
          return changed == 0 ? Optional.<EdgeRecord>empty() : find(c, edgeId);
        });
  }

  /** Whether {@code edge} counts as up now. */
  public boolean isHealthy(EdgeRecord edge) {
    return edge.healthy(clock.instant(), heartbeatTimeout, maxErrorRate);
  }

  /** A box answering more than this share of its requests with a 5xx is not healthy. */
  public double maxErrorRate() {
    return maxErrorRate;
  }

  /** A box whose latest heartbeat is at least this old is not healthy. */
  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  private static EdgeRecord read(ResultSet row) throws SQLException {
    EdgeStatsReport stats;
    try {
      stats = Json.mapper().readValue(row.getString("stats"), EdgeStatsReport.class);
    } catch (IOException | IllegalArgumentException e) {
      // Only this class writes the column; a row it cannot read is damage, not input.
      throw new SQLException("unreadable stats of edge " + row.getString("edge_id"), e);
    }
    return new EdgeRecord(
        row.getString("edge_id"),
        row.getString("region"),
        row.getString("public_url"),
        row.getLong("capacity_bytes"),
        stats,
        row.getLong("heartbeats"),
        Sql.getInstant(row, "first_seen_at"),
        Sql.getInstant(row, "last_seen_at"),
        row.getBoolean("draining"),
        row.getDouble("error_rate"));
  }
}
