package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.internal.JdbcMetadataStore;

/**
 * The contract on a real PostgreSQL, named by {@value #URL_ENV} (a JDBC URL with user and password
 * as query parameters; {@code .ci/start-postgres.sh} starts one and prints it). Without it the
 * tests are skipped with a note on stderr, except under CI ({@code CI=true}), where they fail: CI
 * always provides PostgreSQL.
 *
 * <p>The class migrates a schema of its own ({@code currentSchema=…}) from empty once, and empties
 * every table but Flyway's before each test (a fresh schema per test costs about 300 ms on
 * PostgreSQL, emptying it about 10); the schema is dropped at the end.
 */
class PostgresMetadataStoreTest extends MetadataStoreContract {
  static final String URL_ENV = "REELBOX_TEST_POSTGRES_URL";

  private static final String HOW_TO_ENABLE =
      "PostgresMetadataStoreTest needs "
          + URL_ENV
          + " (e.g. jdbc:postgresql://127.0.0.1:55432/reelbox?user=reelbox&password=reelbox);"
          + " run: export \"$(.ci/start-postgres.sh | tail -n 1)\"";

  private static String baseUrl;
  private static String schema;
  private static Database database;

  @BeforeAll
  static void openSchema(@TempDir Path dataDir) throws Exception {
    baseUrl = System.getenv(URL_ENV);
    if (baseUrl == null || baseUrl.isBlank()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + HOW_TO_ENABLE);
      }
      // Said once here, and each test reports itself skipped (see newStore), so the skip shows
      // in the test counts as well as on the console.
      System.err.println("SKIPPED: " + HOW_TO_ENABLE);
      return;
    }
    schema = "rbx_test_" + HexFormat.of().formatHex(randomBytes());
    try (Connection connection = DriverManager.getConnection(baseUrl);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    database = Database.open(new DatabaseConfig(url, "", "", 8), dataDir);
  }

  @AfterAll
  static void dropSchema() throws Exception {
    if (database != null) {
      database.close();
    }
    if (schema != null) {
      try (Connection connection = DriverManager.getConnection(baseUrl);
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  @Override
  protected MetadataStore newStore(Clock clock) throws Exception {
    Assumptions.assumeTrue(database != null, HOW_TO_ENABLE);
    emptyAllTables();
    return new JdbcMetadataStore(database.dataSource(), clock);
  }

  // Every table the migrations made, found rather than listed, so a new migration's tables are
  // emptied too.
  private static void emptyAllTables() throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection()) {
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT table_name FROM information_schema.tables"
                  + " WHERE table_schema = ? AND table_type = 'BASE TABLE'"
                  + " AND table_name <> 'flyway_schema_history'")) {
        query.setString(1, schema);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            tables.add(rows.getString(1));
          }
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
      }
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  @Test
  void open_postgresUrl_migratesIntoTheConnectionsSchema() throws Exception {
    assertThat(database.embedded()).isFalse();
    try (Connection connection = DriverManager.getConnection(baseUrl);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                    + " ORDER BY table_name")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        StringBuilder tables = new StringBuilder();
        while (rows.next()) {
          tables.append(rows.getString(1)).append(' ');
        }
        assertThat(tables.toString().trim())
            .isEqualTo(
                "api_keys completion_events edge_join_tokens edges flyway_schema_history jobs"
                    + " regions sessions task_deps tasks traffic_days traffic_sources users"
                    + " video_popularity videos workers");
      }
    }
  }

  @Test
  void findVideo_byId_usesThePrimaryKeyIndex() throws Exception {
    // CHAR(11) compared with the driver's VARCHAR parameter must still use the index: PostgreSQL
    // casts the parameter to bpchar rather than the column to text.
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SET enable_seqscan = off");
      try (PreparedStatement explain =
          connection.prepareStatement("EXPLAIN SELECT * FROM videos WHERE id = ?")) {
        explain.setString(1, "AAAAAAAAAAA");
        try (ResultSet plan = explain.executeQuery()) {
          plan.next();
          assertThat(plan.getString(1)).contains("videos_pk");
        }
      }
    }
  }
}
