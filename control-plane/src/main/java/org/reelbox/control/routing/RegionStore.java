package org.reelbox.control.routing;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.reelbox.control.store.Sql;

/**
 * The CIDR → region table (docs/edges.md, "Regions"): durable in the {@code regions} table, served
 * from an immutable in-memory {@link RegionTable} that every change replaces. Lookups never touch
 * the database.
 *
 * <p>Thread-safe. Writes block on JDBC. The in-memory copy is this node's: a second control-plane
 * node sees another's change when it restarts or calls {@link #reload()}.
 */
public final class RegionStore {
  /** A region name: the edge heartbeat's rule (docs/edges.md). */
  public static final Pattern REGION = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Sql sql;
  private final Clock clock;
  private final String defaultRegion;
  private volatile RegionTable table;

  public RegionStore(DataSource dataSource, Clock clock, String defaultRegion) {
    this.sql = new Sql(requireNonNull(dataSource, "dataSource"));
    this.clock = requireNonNull(clock, "clock");
    this.defaultRegion = checkRegion(defaultRegion);
    reload();
  }

  /**
   * @throws IllegalArgumentException if {@code region} is not a valid region name
   */
  public static String checkRegion(String region) {
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          "a region is 1-64 letters, digits, '.', '_' or '-', got '" + region + "'");
    }
    return region;
  }

  /** The table as of the last change. */
  public RegionTable table() {
    return table;
  }

  /** Re-reads the durable table. */
  public synchronized void reload() {
    List<RegionTable.Entry> entries =
        sql.run(
            "read the region table",
            c ->
                Sql.queryList(
                    c,
                    "SELECT cidr, region FROM regions",
                    s -> {},
                    row ->
                        new RegionTable.Entry(
                            CidrBlock.parse(row.getString("cidr")), row.getString("region"))));
    table = new RegionTable(entries, defaultRegion);
  }

  /**
   * Maps {@code block} to {@code region}, replacing what it mapped to.
   *
   * @return true if the block is new
   */
  public synchronized boolean put(CidrBlock block, String region) {
    checkRegion(region);
    String cidr = block.toString();
    boolean created =
        sql.run(
            "map " + cidr + " to region " + region,
            c -> {
              int updated =
                  Sql.update(
                      c,
                      "UPDATE regions SET region = ?, updated_at = ? WHERE cidr = ?",
                      s -> {
                        s.setString(1, region);
                        Sql.setInstant(s, 2, clock.instant());
                        s.setString(3, cidr);
                      });
              if (updated > 0) {
                return false;
              }
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO regions (cidr, region, updated_at) VALUES (?, ?, ?)")) {
                s.setString(1, cidr);
                s.setString(2, region);
                Sql.setInstant(s, 3, clock.instant());
                s.executeUpdate();
              } catch (SQLException e) {
                // Writes are serialised on this node; a race with another node's insert of the
                // same block is the only way here, and the later write wins as an update would.
                if (!Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                  throw e;
                }
                Sql.update(
                    c,
                    "UPDATE regions SET region = ?, updated_at = ? WHERE cidr = ?",
                    s -> {
                      s.setString(1, region);
                      Sql.setInstant(s, 2, clock.instant());
                      s.setString(3, cidr);
                    });
                return false;
              }
              return true;
            });
    reload();
    return created;
  }

  /** Removes {@code block}; false if it was not in the table. */
  public synchronized boolean remove(CidrBlock block) {
    String cidr = block.toString();
    int removed =
        sql.run(
            "unmap " + cidr,
            c -> Sql.update(c, "DELETE FROM regions WHERE cidr = ?", s -> s.setString(1, cidr)));
    reload();
    return removed > 0;
  }
}
