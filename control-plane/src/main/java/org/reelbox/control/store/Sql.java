package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC plumbing shared by the metadata store and the work tables, for H2 and PostgreSQL alike:
 * shared SQL only, timestamps as UTC {@link OffsetDateTime}, failures as {@link
 * MetadataStoreException} naming what could not be done and the SQLSTATE (never the SQL or values).
 */
public final class Sql {
  /** SQLSTATE of a unique violation on both databases. */
  public static final String UNIQUE_VIOLATION = "23505";

  // A transaction the database aborted so that it can be retried: serialization failure or
  // deadlock on PostgreSQL, H2's concurrent-update and lock-timeout errors.
  private static final List<String> RETRYABLE = List.of("40001", "40P01", "90131", "HYT00");

  private final DataSource dataSource;

  public Sql(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /** A unit of work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /** Reads one row. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** Runs {@code work} on a pooled connection in autocommit mode. */
  public <T> T run(String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs {@code work} in one transaction, retried (up to three times) when the database aborted it
   * for a conflict; {@code work} must therefore be safe to repeat.
   */
  public <T> T inTransaction(String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transactionOnce(work);
      } catch (SQLException e) {
        if (attempt < 3 && isRetryable(e)) {
          continue;
        }
        throw failure(what, e);
      }
    }
  }

  /**
   * Runs {@code work} in one transaction, once: for callers that decide themselves what to retry.
   */
  public <T> T inOneTransaction(String what, Work<T> work) {
    try {
      return transactionOnce(work);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> T transactionOnce(Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  public static boolean isRetryable(SQLException e) {
    return RETRYABLE.contains(e.getSQLState());
  }

  public static MetadataStoreException failure(String what, SQLException e) {
    return new MetadataStoreException(
        "metadata database: cannot " + what + " (SQLSTATE " + e.getSQLState() + ")", e);
  }

  public static int update(Connection connection, String sql, Binder binder) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    }
  }

  public static <T> Optional<T> queryOne(
      Connection connection, String sql, Binder binder, RowReader<T> reader) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(reader.read(row)) : Optional.empty();
      }
    }
  }

  public static <T> List<T> queryList(
      Connection connection, String sql, Binder binder, RowReader<T> reader) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet row = statement.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (row.next()) {
          result.add(reader.read(row));
        }
        return List.copyOf(result);
      }
    }
  }

  public static void setInstant(PreparedStatement statement, int index, Instant instant)
      throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
  }

  public static Instant getInstant(ResultSet row, int column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  public static void setLongOrNull(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  public static Instant getInstant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  public static long generatedId(PreparedStatement statement) throws SQLException {
    try (ResultSet keys = statement.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("the database returned no generated id");
      }
      return keys.getLong(1);
    }
  }
}
