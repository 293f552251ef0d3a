package org.reelbox.control.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.Database;

/**
 * A fresh, migrated schema on the PostgreSQL named by {@value #URL_ENV} (see {@code
 * .ci/start-postgres.sh}), for the contract tests that run on PostgreSQL: the test is skipped
 * without the variable, and fails without it under {@code CI=true}, where PostgreSQL is always
 * there. Closing it closes the database and drops the schema.
 */
public final class PostgresSchema implements AutoCloseable {
  public static final String URL_ENV = "REELBOX_TEST_POSTGRES_URL";

  private final String baseUrl;
  private final String schema;
  private final Database database;

  private PostgresSchema(String baseUrl, String schema, Database database) {
    this.baseUrl = baseUrl;
    this.schema = schema;
    this.database = database;
  }

  /**
   * Creates schema {@code prefix_<random>} and opens (migrates) the database in it; {@code dataDir}
   * is the database's data directory.
   */
  public static PostgresSchema open(String prefix, Path dataDir) throws Exception {
    String baseUrl = System.getenv(URL_ENV);
    if ((baseUrl == null || baseUrl.isBlank()) && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but " + URL_ENV + " is not set");
    }
    Assumptions.assumeTrue(baseUrl != null && !baseUrl.isBlank(), URL_ENV);
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    String schema = prefix + "_" + HexFormat.of().formatHex(bytes);
    execute(baseUrl, "CREATE SCHEMA " + schema);
    String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    try {
      return new PostgresSchema(
          baseUrl, schema, Database.open(new DatabaseConfig(url, "", "", 8), dataDir));
    } catch (Exception | Error e) {
      // A failed migration leaves no schema behind.
      execute(baseUrl, "DROP SCHEMA " + schema + " CASCADE");
      throw e;
    }
  }

  public Database database() {
    return database;
  }

  @Override
  public void close() throws Exception {
    try {
      database.close();
    } finally {
      execute(baseUrl, "DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static void execute(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
