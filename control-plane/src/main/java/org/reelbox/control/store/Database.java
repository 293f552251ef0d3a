package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.reelbox.control.config.DatabaseConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata database: a HikariCP pool, migrated by Flyway to the latest schema when opened.
 *
 * <p>An empty {@link DatabaseConfig#url()} means embedded H2 in file mode at {@code
 * <dataDir>/db/reelbox.mv.db}; otherwise the URL names H2 or PostgreSQL. The migrations in {@code
 * classpath:db/migration} are the same for both, written in the SQL the two share.
 *
 * <p>The embedded URL's options, and why:
 *
 * <ul>
 *   <li>{@code AUTO_SERVER=FALSE}: only this JVM opens the file; a second process fails at once
 *       rather than sharing it over a hidden TCP server.
 *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2's own shutdown hook would close the database while our
 *       shutdown still writes to it; {@link #close()} closes it instead. (H2 commits reach the file
 *       within its default write delay of 0.5 s, so a kill -9 may lose the last half second.)
 *   <li>{@code LOCK_TIMEOUT=10000}: H2's default of 1 s turns a busy moment on two small cores into
 *       a lock-timeout error; PostgreSQL waits without a limit.
 *   <li>No {@code MODE=PostgreSQL}: the migrations and queries use standard SQL that both accept,
 *       so the emulation would only hide dialect slips that PostgreSQL would then reject.
 * </ul>
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** Where the migrations live on the classpath. */
  public static final String MIGRATIONS = "classpath:db/migration";

  private final HikariDataSource dataSource;
  private final boolean embedded;

  private Database(HikariDataSource dataSource, boolean embedded) {
    this.dataSource = dataSource;
    this.embedded = embedded;
  }

  /**
   * Opens the pool and migrates the schema.
   *
   * @param config the database settings
   * @param dataDir the role's data directory; the embedded database lives under it
   * @throws MetadataStoreException if the database cannot be reached or migrated
   */
  public static Database open(DatabaseConfig config, Path dataDir) {
    requireNonNull(config, "config");
    requireNonNull(dataDir, "dataDir");
    boolean embedded = config.url().isEmpty();
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("reelbox-metadata");
    hikari.setMaximumPoolSize(config.maxPoolSize());
    if (embedded) {
      hikari.setJdbcUrl(embeddedUrl(dataDir));
      hikari.setUsername("sa");
      hikari.setPassword("");
    } else {
      hikari.setJdbcUrl(config.url());
      // Credentials may instead be in the URL (?user=…&password=…): set them only when given.
      if (!config.user().isEmpty()) {
        hikari.setUsername(config.user());
      }
      if (!config.password().isEmpty()) {
        hikari.setPassword(config.password());
      }
    }
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      // Hikari's message names the URL but never the password.
      throw new MetadataStoreException("cannot open the metadata database: " + e.getMessage(), e);
    }
    try {
      MigrateResult result = migrate(dataSource);
      log.info(
          "metadata database {} at schema version {} (applied now: {})",
          embedded ? "embedded H2 at " + h2File(dataDir) : redactedUrl(config.url()),
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion,
          result.migrationsExecuted);
    } catch (RuntimeException e) {
      dataSource.close();
      throw new MetadataStoreException(
          "cannot migrate the metadata database: " + e.getMessage(), e);
    }
    return new Database(dataSource, embedded);
  }

  /**
   * The embedded H2 URL for a data directory.
   *
   * @throws IllegalArgumentException if the path holds a ';', which H2 would read as an option
   */
  static String embeddedUrl(Path dataDir) {
    Path file = h2File(dataDir);
    if (file.toString().contains(";")) {
      throw new IllegalArgumentException(
          "the data directory must not contain ';' (H2 reads it as an option separator): " + file);
    }
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file.getParent(), e);
    }
    return "jdbc:h2:file:" + file + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
  }

  private static Path h2File(Path dataDir) {
    // H2 adds ".mv.db" to this name.
    return dataDir.toAbsolutePath().normalize().resolve("db").resolve("reelbox");
  }

  private static MigrateResult migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .failOnMissingLocations(true)
        // A misnamed file (v2_x.sql, V2_x.sql) would otherwise be skipped without a word.
        .validateMigrationNaming(true)
        .load()
        .migrate();
  }

  // Query parameters may carry a password (?password=…): log the URL without them.
  private static String redactedUrl(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?…";
  }

  /** The pooled data source; valid until {@link #close()}. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Whether this is the embedded H2 database of the data directory. */
  public boolean embedded() {
    return embedded;
  }

  /** Closes every pooled connection; for embedded H2 that also closes the database file. */
  @Override
  public void close() {
    dataSource.close();
  }
}
