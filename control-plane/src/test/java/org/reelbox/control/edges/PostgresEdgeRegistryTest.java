package org.reelbox.control.edges;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.Database;

/**
 * The edge registry on PostgreSQL, named by {@code REELBOX_TEST_POSTGRES_URL} (see {@code
 * PostgresMetadataStoreTest}); skipped without it, failed without it under {@code CI=true}. Each
 * test gets a fresh schema.
 */
class PostgresEdgeRegistryTest extends EdgeRegistryContract {
  @TempDir Path dataDir;
  private String baseUrl;
  private String schema;
  private Database database;

  @Override
  protected DataSource dataSource() throws Exception {
    baseUrl = System.getenv("REELBOX_TEST_POSTGRES_URL");
    if ((baseUrl == null || baseUrl.isBlank()) && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but REELBOX_TEST_POSTGRES_URL is not set");
    }
    Assumptions.assumeTrue(baseUrl != null && !baseUrl.isBlank(), "REELBOX_TEST_POSTGRES_URL");
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    schema = "rbx_edges_" + HexFormat.of().formatHex(bytes);
    try (Connection c = DriverManager.getConnection(baseUrl);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    database = Database.open(new DatabaseConfig(url, "", "", 8), dataDir);
    return database.dataSource();
  }

  @Override
  protected void release() throws Exception {
    if (database != null) {
      database.close();
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(baseUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
