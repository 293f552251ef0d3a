package org.reelbox.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reelbox.control.config.DatabaseConfig;
import org.reelbox.control.store.internal.JdbcMetadataStore;

/** The contract on embedded H2 in file mode, the default database; plus H2-only checks. */
class H2MetadataStoreTest extends MetadataStoreContract {
  @TempDir Path dataDir;
  private Database database;

  @Override
  protected MetadataStore newStore(Clock clock) {
    database = Database.open(DatabaseConfig.embedded(), dataDir);
    return new JdbcMetadataStore(database.dataSource(), clock);
  }

  @Override
  protected void closeStore() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void open_embeddedConfig_createsDatabaseFileUnderDataDir() {
    assertThat(database.embedded()).isTrue();
    assertThat(dataDir.resolve("db").resolve("reelbox.mv.db")).isRegularFile();
  }

  @Test
  void open_again_keepsDataAndAppliesNoMigrationTwice() throws Exception {
    User alice = store.createUser("alice", UserRole.CREATOR, HASH);
    Video video = store.createVideo(NewVideo.titled(alice.id(), "persisted ✓"));
    database.close();

    database = Database.open(DatabaseConfig.embedded(), dataDir);
    MetadataStore reopened = new JdbcMetadataStore(database.dataSource(), clock);

    assertThat(reopened.findVideo(video.id())).contains(video);
    assertThat(reopened.findUserByUsername("alice")).contains(alice);
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT COUNT(*) FROM \"flyway_schema_history\""
                    + " WHERE \"success\" AND \"type\" = 'SQL'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(migrationCount());
    }
  }

  @Test
  void embeddedUrl_dataDirWithSemicolon_throwsIllegalArgument() {
    assertThatThrownBy(() -> Database.open(DatabaseConfig.embedded(), dataDir.resolve("a;b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("';'");
  }

  @Test
  void createVideo_idTaken_retriesWithAnotherId() {
    User alice = store.createUser("alice", UserRole.CREATOR, HASH);
    VideoId taken = store.createVideo(NewVideo.titled(alice.id(), "first")).id();
    VideoId fresh = VideoId.of("fresh_id-00");
    Deque<VideoId> ids = new ArrayDeque<>(List.of(taken, fresh));
    MetadataStore colliding =
        new JdbcMetadataStore(database.dataSource(), clock, ids::pop, new SecureRandom());

    Video second = colliding.createVideo(NewVideo.titled(alice.id(), "second"));

    assertThat(second.id()).isEqualTo(fresh);
    assertThat(store.findVideo(taken).orElseThrow().title()).isEqualTo("first");
  }

  @Test
  void createVideo_idAlwaysTaken_givesUpWithMetadataStoreException() {
    User alice = store.createUser("alice", UserRole.CREATOR, HASH);
    VideoId taken = store.createVideo(NewVideo.titled(alice.id(), "first")).id();
    MetadataStore colliding =
        new JdbcMetadataStore(database.dataSource(), clock, () -> taken, new SecureRandom());

    assertThatThrownBy(() -> colliding.createVideo(NewVideo.titled(alice.id(), "second")))
        .isInstanceOf(MetadataStoreException.class);
  }

  @Test
  void migrate_fromV1WithAVideo_readsItBackWithTheUploadFieldDefaults(@TempDir Path oldDir)
      throws Exception {
    JdbcDataSource v1 = new JdbcDataSource();
    v1.setURL(Database.embeddedUrl(oldDir));
    v1.setUser("sa");
    v1.setPassword("");
    Flyway.configure().dataSource(v1).locations(Database.MIGRATIONS).target("1").load().migrate();
    String at = "TIMESTAMP WITH TIME ZONE '2026-01-02 03:04:05+00'";
    try (Connection connection = v1.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO users (username, role, password_hash, created_at, updated_at)"
              + " VALUES ('old', 'CREATOR', 'x', "
              + at
              + ", "
              + at
              + ")");
      statement.execute(
          "INSERT INTO videos (id, owner_id, title, description, state, created_at, updated_at)"
              + " SELECT 'AAAAAAAAAAA', id, 'from V1', '', 'UPLOADING', "
              + at
              + ", "
              + at
              + " FROM users WHERE username = 'old'");
    }

    try (Database migrated = Database.open(DatabaseConfig.embedded(), oldDir)) {
      Video video =
          new JdbcMetadataStore(migrated.dataSource(), clock)
              .findVideo(VideoId.of("AAAAAAAAAAA"))
              .orElseThrow();

      assertThat(video.title()).isEqualTo("from V1");
      assertThat(video.profile()).isEqualTo(Video.DEFAULT_PROFILE);
      assertThat(video.tags()).isEmpty();
      assertThat(video.filename()).isNull();
      assertThat(video.contentType()).isNull();
      assertThat(video.uploadExpiresAt()).isNull();
    }
  }

  private static int migrationCount() throws Exception {
    try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
      return (int) files.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
    }
  }
}
