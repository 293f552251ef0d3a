package org.reelbox.control.cost;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.reelbox.control.store.Sql;

/**
 * Bytes served to viewers per UTC day (docs/edges.md, "Cost"), in the {@code traffic_days} table,
 * fed by sources that report <em>cumulative</em> counters: an edge box's heartbeat ({@code hitBytes
 * + missBytes} since the box started) and the origin's report.
 *
 * <p>A report adds the difference to the source's previous report, kept in {@code traffic_sources}.
 * A counter that went down means the source restarted and counts from zero again: the new value is
 * then all new bytes. A restart is also seen when the request counter goes down, which catches a
 * box that restarted and served more bytes than before within one interval; a restart that outgrew
 * both counters between two reports is counted short by what the old run served after its last
 * report (at most one interval of traffic). A source's first report counts whole: a box reports
 * from its first second.
 *
 * <p>Bytes are booked on the UTC day the report arrives. Thread-safe; every method blocks on JDBC.
 */
public final class TrafficLedger {
  /** Who reported. */
  public enum Source {
    EDGE("edge"),
    ORIGIN("origin");

    private final String column;

    Source(String column) {
      this.column = column;
    }
  }

  /** The bytes of one UTC day. */
  public record Day(LocalDate day, long edgeBytes, long originBytes) {
    public Day {
      requireNonNull(day, "day");
    }
  }

  private final Sql sql;
  private final Clock clock;
  private final Counter edgeBytes;
  private final Counter originBytes;

  public TrafficLedger(DataSource dataSource, Clock clock, MeterRegistry metrics) {
    this.sql = new Sql(requireNonNull(dataSource, "dataSource"));
    this.clock = requireNonNull(clock, "clock");
    requireNonNull(metrics, "metrics");
    this.edgeBytes =
        Counter.builder("reelbox.traffic.bytes")
            .description("body bytes served to viewers, as reported by edges and origins")
            .tag("source", "edge")
            .baseUnit("bytes")
            .register(metrics);
    this.originBytes =
        Counter.builder("reelbox.traffic.bytes")
            .description("body bytes served to viewers, as reported by edges and origins")
            .tag("source", "origin")
            .baseUnit("bytes")
            .register(metrics);
  }

  /**
   * Books a source's report of its cumulative counters and returns the bytes it added.
   *
   * @param totalBytes body bytes the source served to viewers since it started
   * @param totalRequests requests it answered since it started (detects restarts)
   */
  public long report(Source source, String sourceId, long totalBytes, long totalRequests) {
    requireNonNull(source, "source");
    requireNonNull(sourceId, "sourceId");
    if (totalBytes < 0 || totalRequests < 0) {
      throw new IllegalArgumentException(
          "counters must be non-negative: bytes " + totalBytes + ", requests " + totalRequests);
    }
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    // The rows exist before the transaction: an insert racing another one fails on the key, which
    // PostgreSQL would not forgive inside a transaction. The source row starts at zero, so a first
    // report counts whole.
    sql.run(
        "create the traffic rows of " + sourceId,
        c -> {
          insertIfAbsent(
              c,
              "INSERT INTO traffic_sources (source_kind, source_id, last_bytes, last_requests)"
                  + " VALUES (?, ?, 0, 0)",
              s -> {
                s.setString(1, source.column);
                s.setString(2, sourceId);
              });
          insertIfAbsent(
              c,
              "INSERT INTO traffic_days (utc_day, edge_bytes, origin_bytes) VALUES (?, 0, 0)",
              s -> s.setObject(1, day));
          return null;
        });
    long added =
        sql.inTransaction(
            "book the traffic of " + sourceId,
            c -> {
              // FOR UPDATE: two reports of one source at once must not both add the same delta.
              long[] last =
                  Sql.queryOne(
                          c,
                          "SELECT last_bytes, last_requests FROM traffic_sources"
                              + " WHERE source_kind = ? AND source_id = ? FOR UPDATE",
                          s -> {
                            s.setString(1, source.column);
                            s.setString(2, sourceId);
                          },
                          row -> new long[] {row.getLong(1), row.getLong(2)})
                      .orElseThrow(() -> new SQLException("traffic source row vanished"));
              boolean restarted = totalBytes < last[0] || totalRequests < last[1];
              long delta = restarted ? totalBytes : totalBytes - last[0];
              Sql.update(
                  c,
                  "UPDATE traffic_sources SET last_bytes = ?, last_requests = ?"
                      + " WHERE source_kind = ? AND source_id = ?",
                  s -> {
                    s.setLong(1, totalBytes);
                    s.setLong(2, totalRequests);
                    s.setString(3, source.column);
                    s.setString(4, sourceId);
                  });
              if (delta > 0) {
                String column = source.column + "_bytes";
                Sql.update(
                    c,
                    "UPDATE traffic_days SET " + column + " = " + column + " + ? WHERE utc_day = ?",
                    s -> {
                      s.setLong(1, delta);
                      s.setObject(2, day);
                    });
              }
              return delta;
            });
    (source == Source.EDGE ? edgeBytes : originBytes).increment(added);
    return added;
  }

  /**
   * The last {@code days} UTC days, today last, each day present (zero when nothing was served).
   */
  public List<Day> lastDays(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("days must be positive: " + days);
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate first = today.minusDays(days - 1L);
    Map<LocalDate, Day> stored = new HashMap<>();
    sql.run(
            "read the traffic days",
            c ->
                Sql.queryList(
                    c,
                    "SELECT utc_day, edge_bytes, origin_bytes FROM traffic_days WHERE utc_day >= ?",
                    s -> s.setObject(1, first),
                    row ->
                        new Day(row.getObject(1, LocalDate.class), row.getLong(2), row.getLong(3))))
        .forEach(d -> stored.put(d.day(), d));
    List<Day> result = new ArrayList<>(days);
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
      result.add(stored.getOrDefault(d, new Day(d, 0, 0)));
    }
    return result;
  }

  /** Every byte booked so far, on any day: edge and origin. */
  public record Totals(long edgeBytes, long originBytes) {}

  /** The sums over every booked day. */
  public Totals totals() {
    return sql.run(
        "sum the traffic days",
        c ->
            Sql.queryOne(
                    c,
                    "SELECT COALESCE(SUM(edge_bytes), 0), COALESCE(SUM(origin_bytes), 0)"
                        + " FROM traffic_days",
                    s -> {},
                    row -> new Totals(row.getLong(1), row.getLong(2)))
                .orElse(new Totals(0, 0)));
  }

  private static void insertIfAbsent(Connection c, String insert, Sql.Binder binder)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(insert)) {
      binder.bind(s);
      s.executeUpdate();
    } catch (SQLException e) {
      if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
    }
  }
}
