package org.reelbox.control.store.internal;

import static java.util.Objects.requireNonNull;
import static org.reelbox.control.store.Sql.generatedId;
import static org.reelbox.control.store.Sql.getInstant;
import static org.reelbox.control.store.Sql.queryList;
import static org.reelbox.control.store.Sql.queryOne;
import static org.reelbox.control.store.Sql.setInstant;
import static org.reelbox.control.store.Sql.setLongOrNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.reelbox.common.json.Json;
import org.reelbox.control.store.ApiKey;
import org.reelbox.control.store.CreatedApiKey;
import org.reelbox.control.store.DuplicateUsernameException;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.MetadataStoreException;
import org.reelbox.control.store.NewVideo;
import org.reelbox.control.store.Sql;
import org.reelbox.control.store.TransitionResult;
import org.reelbox.control.store.UnknownUserException;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserPatch;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.store.VideoTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetadataStore} over plain JDBC, for H2 and PostgreSQL alike: every statement here is in
 * the SQL the two share (standard {@code OFFSET … ROWS FETCH NEXT … ROWS ONLY}, no {@code
 * RETURNING}), and the schema comes from the Flyway migrations that {@code Database} runs.
 *
 * <p>Timestamps go in and out as {@link OffsetDateTime} in UTC, the one {@code TIMESTAMP WITH TIME
 * ZONE} mapping that JDBC 4.2 requires of both drivers, and never depend on the JVM's or the
 * session's time zone.
 *
 * <p>Thread-safe: it holds no state but the pool.
 */
public final class JdbcMetadataStore implements MetadataStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcMetadataStore.class);

  /** How stale an API key's {@code lastUsedAt} may get before a use writes it again. */
  public static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

  // Two random 66-bit ids colliding is a once-in-the-universe event; three in a row means the id
  // supplier is broken, and looping would hide that.
  private static final int CREATE_VIDEO_ATTEMPTS = 3;
  private static final int TRANSITION_ATTEMPTS = 3;

  // SQLSTATE 23505 is unique_violation on both databases (Sql.UNIQUE_VIOLATION). A missing parent
  // row is 23503
  // (foreign_key_violation) on PostgreSQL but 23506 on H2, which keeps 23503 for a delete that
  // orphans children.
  private static final String FK_VIOLATION_PG = "23503";
  private static final String FK_VIOLATION_H2 = "23506";
  // A transaction the database chose to abort so that it can be retried: serialization failure
  // or deadlock (40001, 40P01) on PostgreSQL, and H2's concurrent-update error (90131).
  private static final List<String> RETRYABLE = List.of("40001", "40P01", "90131");

  private static final String USER_COLUMNS =
      "id, username, role, created_at, updated_at, disabled_at";
  private static final String API_KEY_COLUMNS =
      "id, user_id, name, prefix, created_at, last_used_at, revoked_at";
  private static final String VIDEO_COLUMNS =
      "id, owner_id, title, description, language, tags, state, error_code, filename,"
          + " content_type, profile, size_bytes, sha256, duration_ms, upload_expires_at,"
          + " created_at, updated_at, plan_options, error_message";

  private final Sql db;
  private final Clock clock;
  private final Supplier<VideoId> videoIds;
  private final SecureRandom random;

  /** A store with random video ids and API keys from a {@link SecureRandom}. */
  public JdbcMetadataStore(DataSource dataSource, Clock clock) {
    this(dataSource, clock, VideoId::random, new SecureRandom());
  }

  /**
   * A store whose video ids come from {@code videoIds} (tests force collisions with it).
   *
   * @param random the source of API keys
   */
  public JdbcMetadataStore(
      DataSource dataSource, Clock clock, Supplier<VideoId> videoIds, SecureRandom random) {
    this.db = new Sql(requireNonNull(dataSource, "dataSource"));
    this.clock = requireNonNull(clock, "clock");
    this.videoIds = requireNonNull(videoIds, "videoIds");
    this.random = requireNonNull(random, "random");
  }

  // ---- users

  @Override
  public User createUser(String username, UserRole role, String passwordHash) {
    User.checkUsername(username);
    requireNonNull(role, "role");
    Fields.nonBlankText("passwordHash", passwordHash, 100);
    Instant now = now();
    return db.run(
        "create user",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO users (username, role, password_hash, created_at, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?)",
                  new String[] {"id"})) {
            insert.setString(1, username);
            insert.setString(2, role.name());
            insert.setString(3, passwordHash);
            setInstant(insert, 4, now);
            setInstant(insert, 5, now);
            insert.executeUpdate();
            return new User(generatedId(insert), username, role, now, now);
          } catch (SQLException e) {
            if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
              throw new DuplicateUsernameException(username, e);
            }
            throw e;
          }
        });
  }

  @Override
  public Optional<User> findUserById(long userId) {
    return db.run(
        "find user",
        connection ->
            queryOne(
                connection,
                "SELECT " + USER_COLUMNS + " FROM users WHERE id = ?",
                statement -> statement.setLong(1, userId),
                JdbcMetadataStore::readUser));
  }

  @Override
  public Optional<User> findUserByUsername(String username) {
    requireNonNull(username, "username");
    try {
      User.checkUsername(username);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return db.run(
        "find user",
        connection ->
            queryOne(
                connection,
                "SELECT " + USER_COLUMNS + " FROM users WHERE username = ?",
                statement -> statement.setString(1, username),
                JdbcMetadataStore::readUser));
  }

  @Override
  public Optional<String> findPasswordHash(long userId) {
    return db.run(
        "find password hash",
        connection ->
            queryOne(
                connection,
                "SELECT password_hash FROM users WHERE id = ?",
                statement -> statement.setLong(1, userId),
                row -> row.getString(1)));
  }

  @Override
  public List<User> listUsers(int offset, int limit) {
    Fields.page(offset, limit, MAX_PAGE_SIZE);
    return db.run(
        "list users",
        connection ->
            queryList(
                connection,
                "SELECT "
                    + USER_COLUMNS
                    + " FROM users ORDER BY id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                statement -> {
                  statement.setInt(1, offset);
                  statement.setInt(2, limit);
                },
                JdbcMetadataStore::readUser));
  }

  @Override
  public Optional<User> updateUser(long userId, UserPatch patch) {
    requireNonNull(patch, "patch");
    Instant now = now();
    // One UPDATE whatever the patch sets: CASE keeps a column when its parameter is null, so two
    // patches that set different fields never undo each other. COALESCE keeps the first
    // disabled_at of a user disabled twice. The CASTs give both databases the parameters' types.
    return db.inTransaction(
        "update user",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE users SET"
                      + " role = COALESCE(CAST(? AS VARCHAR(16)), role),"
                      + " password_hash = COALESCE(CAST(? AS VARCHAR(100)), password_hash),"
                      + " disabled_at = CASE WHEN CAST(? AS BOOLEAN) IS NULL THEN disabled_at"
                      + " WHEN CAST(? AS BOOLEAN) THEN COALESCE(disabled_at, ?) ELSE NULL END,"
                      + " updated_at = ?"
                      + " WHERE id = ?")) {
            int p = 1;
            update.setString(p++, patch.role() == null ? null : patch.role().name());
            update.setString(p++, patch.passwordHash());
            setBooleanOrNull(update, p++, patch.disabled());
            setBooleanOrNull(update, p++, patch.disabled());
            setInstant(update, p++, now);
            setInstant(update, p++, now);
            update.setLong(p, userId);
            if (update.executeUpdate() == 0) {
              return Optional.<User>empty();
            }
          }
          return queryOne(
              connection,
              "SELECT " + USER_COLUMNS + " FROM users WHERE id = ?",
              statement -> statement.setLong(1, userId),
              JdbcMetadataStore::readUser);
        });
  }

  private static void setBooleanOrNull(PreparedStatement statement, int index, Boolean value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, java.sql.Types.BOOLEAN);
    } else {
      statement.setBoolean(index, value);
    }
  }

  // ---- API keys

  @Override
  public CreatedApiKey createApiKey(long userId, String name) {
    ApiKey.checkName(name);
    String plaintext = ApiKeys.generate(random);
    String prefix = ApiKeys.shownPrefix(plaintext);
    Instant now = now();
    return db.run(
        "create API key",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at)"
                      + " VALUES (?, ?, ?, ?, ?)",
                  new String[] {"id"})) {
            insert.setLong(1, userId);
            insert.setString(2, name);
            insert.setString(3, prefix);
            insert.setString(4, ApiKeys.hash(plaintext));
            setInstant(insert, 5, now);
            insert.executeUpdate();
            ApiKey key = new ApiKey(generatedId(insert), userId, name, prefix, now, null, null);
            return new CreatedApiKey(key, plaintext);
          } catch (SQLException e) {
            if (isForeignKeyViolation(e)) {
              throw new UnknownUserException(userId, e);
            }
            throw e;
          }
        });
  }

  @Override
  public List<ApiKey> listApiKeys(long userId) {
    return db.run(
        "list API keys",
        connection ->
            queryList(
                connection,
                "SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE user_id = ? ORDER BY id",
                statement -> statement.setLong(1, userId),
                JdbcMetadataStore::readApiKey));
  }

  @Override
  public Optional<User> findUserByApiKey(String plaintextKey) {
    requireNonNull(plaintextKey, "plaintextKey");
    // No early return for a malformed key: every input is hashed and looked up the same way, and
    // the lookup is an equality on the hash, which a guess cannot steer.
    String hash = ApiKeys.hash(plaintextKey);
    Instant now = now();
    return db.run(
        "authenticate API key",
        connection -> {
          long keyId;
          Instant lastUsedAt;
          User user;
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT k.id, k.last_used_at, u.id, u.username, u.role, u.created_at,"
                      + " u.updated_at FROM api_keys k JOIN users u ON u.id = k.user_id"
                      + " WHERE k.key_hash = ? AND k.revoked_at IS NULL"
                      + " AND u.disabled_at IS NULL")) {
            select.setString(1, hash);
            try (ResultSet row = select.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              keyId = row.getLong(1);
              lastUsedAt = getInstant(row, 2);
              user =
                  new User(
                      row.getLong(3),
                      row.getString(4),
                      UserRole.valueOf(row.getString(5)),
                      getInstant(row, 6),
                      getInstant(row, 7));
            }
          }
          if (lastUsedAt == null || !lastUsedAt.plus(LAST_USED_GRANULARITY).isAfter(now)) {
            try (PreparedStatement touch =
                connection.prepareStatement(
                    "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND revoked_at IS NULL")) {
              setInstant(touch, 1, now);
              touch.setLong(2, keyId);
              touch.executeUpdate();
            }
          }
          return Optional.of(user);
        });
  }

  @Override
  public boolean revokeApiKey(long apiKeyId) {
    Instant now = now();
    return db.run(
        "revoke API key",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            setInstant(update, 1, now);
            update.setLong(2, apiKeyId);
            return update.executeUpdate() == 1;
          }
        });
  }

  // ---- videos

  @Override
  public Video createVideo(NewVideo video) {
    requireNonNull(video, "video");
    Instant now = now();
    return db.run(
        "create video",
        connection -> {
          for (int attempt = 1; ; attempt++) {
            VideoId id = requireNonNull(videoIds.get(), "videoIds.get()");
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO videos (id, owner_id, title, description, language, tags,"
                        + " state, filename, content_type, profile, upload_expires_at,"
                        + " created_at, updated_at, plan_options)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              int p = 1;
              insert.setString(p++, id.value());
              insert.setLong(p++, video.ownerId());
              insert.setString(p++, video.title());
              insert.setString(p++, video.description());
              insert.setString(p++, video.language());
              insert.setString(p++, writeTags(video.tags()));
              insert.setString(p++, VideoState.UPLOADING.name());
              insert.setString(p++, video.filename());
              insert.setString(p++, video.contentType());
              insert.setString(p++, video.profile());
              setInstant(insert, p++, video.uploadExpiresAt());
              setInstant(insert, p++, now);
              setInstant(insert, p++, now);
              insert.setString(p, video.planOptions());
              insert.executeUpdate();
              return new Video(
                  id,
                  video.ownerId(),
                  video.title(),
                  video.description(),
                  video.language(),
                  video.tags(),
                  VideoState.UPLOADING,
                  null,
                  video.filename(),
                  video.contentType(),
                  video.profile(),
                  null,
                  null,
                  null,
                  video.uploadExpiresAt(),
                  now,
                  now,
                  video.planOptions(),
                  null);
            } catch (SQLException e) {
              if (isForeignKeyViolation(e)) {
                throw new UnknownUserException(video.ownerId(), e);
              }
              if (Sql.UNIQUE_VIOLATION.equals(e.getSQLState()) && attempt < CREATE_VIDEO_ATTEMPTS) {
                log.warn("video id {} is taken; drawing another (attempt {})", id, attempt);
                continue;
              }
              throw e;
            }
          }
        });
  }

  @Override
  public Optional<Video> findVideo(VideoId videoId) {
    requireNonNull(videoId, "videoId");
    return db.run("find video", connection -> selectVideo(connection, videoId));
  }

  @Override
  public List<Video> listVideosByOwner(long ownerId, int offset, int limit) {
    Fields.page(offset, limit, MAX_PAGE_SIZE);
    return db.run(
        "list videos",
        connection ->
            queryList(
                connection,
                "SELECT "
                    + VIDEO_COLUMNS
                    + " FROM videos WHERE owner_id = ?"
                    + " ORDER BY created_at DESC, id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                statement -> {
                  statement.setLong(1, ownerId);
                  statement.setInt(2, offset);
                  statement.setInt(3, limit);
                },
                JdbcMetadataStore::readVideo));
  }

  @Override
  public Optional<Video> updateVideoMetadata(VideoId videoId, VideoPatch patch) {
    requireNonNull(videoId, "videoId");
    requireNonNull(patch, "patch");
    Instant now = now();
    // Only the columns the patch sets: a concurrent patch of other fields keeps its values.
    StringBuilder sql = new StringBuilder("UPDATE videos SET updated_at = ?");
    List<String> values = new ArrayList<>();
    if (patch.title() != null) {
      sql.append(", title = ?");
      values.add(patch.title());
    }
    if (patch.description() != null) {
      sql.append(", description = ?");
      values.add(patch.description());
    }
    if (patch.language() != null) {
      sql.append(", language = ?");
      values.add(patch.language().isEmpty() ? null : patch.language());
    }
    if (patch.tags() != null) {
      sql.append(", tags = ?");
      values.add(writeTags(patch.tags()));
    }
    sql.append(" WHERE id = ?");
    // The update and the read that returns the row share a transaction, so the caller gets
    // exactly what this call wrote, not a later writer's version.
    return db.inOneTransaction(
        "update video metadata",
        connection -> {
          try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
            int p = 1;
            setInstant(update, p++, now);
            for (String value : values) {
              update.setString(p++, value);
            }
            update.setString(p, videoId.value());
            if (update.executeUpdate() == 0) {
              return Optional.empty();
            }
          }
          return selectVideo(connection, videoId);
        });
  }

  @Override
  public TransitionResult transitionVideo(VideoTransition transition) {
    requireNonNull(transition, "transition");
    Instant now = now();
    StringBuilder sql =
        new StringBuilder(
            "UPDATE videos SET state = ?, error_code = ?, error_message = ?, updated_at = ?,"
                + " size_bytes = COALESCE(?, size_bytes), sha256 = COALESCE(?, sha256),"
                + " duration_ms = COALESCE(?, duration_ms)"
                + " WHERE id = ? AND state IN (");
    for (int i = 0; i < transition.from().size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(')');
    for (int attempt = 1; ; attempt++) {
      try {
        return db.inOneTransaction(
            "transition video",
            connection -> {
              // The compare-and-set: the WHERE clause on the state is the whole concurrency
              // control. Concurrent updates of one row serialize on its row lock, and the loser
              // re-evaluates the WHERE against the winner's row, matches nothing and changes
              // nothing. No SELECT … FOR UPDATE, no version column.
              int updated;
              try (PreparedStatement update = connection.prepareStatement(sql.toString())) {
                int p = 1;
                update.setString(p++, transition.to().name());
                update.setString(p++, transition.errorCode());
                update.setString(p++, transition.errorMessage());
                setInstant(update, p++, now);
                setLongOrNull(update, p++, transition.sizeBytes());
                update.setString(p++, transition.sha256());
                setLongOrNull(update, p++, transition.durationMs());
                update.setString(p++, transition.videoId().value());
                for (VideoState from : transition.from()) {
                  update.setString(p++, from.name());
                }
                updated = update.executeUpdate();
              }
              Optional<Video> current = selectVideo(connection, transition.videoId());
              if (current.isEmpty()) {
                return TransitionResult.notFound();
              }
              if (updated == 1) {
                log.debug("video {} → {}", transition.videoId(), transition.to());
                return TransitionResult.applied(current.get());
              }
              return TransitionResult.notApplied(transition, current.get());
            });
      } catch (MetadataStoreException e) {
        if (attempt < TRANSITION_ATTEMPTS
            && e.getCause() instanceof SQLException cause
            && RETRYABLE.contains(cause.getSQLState())) {
          // Safe to retry: the compare-and-set makes a repeat either apply once or see the state.
          log.debug(
              "retrying transition of video {} after {}",
              transition.videoId(),
              cause.getSQLState());
          continue;
        }
        throw e;
      }
    }
  }

  // ---- rows

  private static Optional<Video> selectVideo(Connection connection, VideoId videoId)
      throws SQLException {
    return queryOne(
        connection,
        "SELECT " + VIDEO_COLUMNS + " FROM videos WHERE id = ?",
        statement -> statement.setString(1, videoId.value()),
        JdbcMetadataStore::readVideo);
  }

  private static User readUser(ResultSet row) throws SQLException {
    return new User(
        row.getLong("id"),
        row.getString("username"),
        UserRole.valueOf(row.getString("role")),
        getInstant(row, "created_at"),
        getInstant(row, "updated_at"),
        getInstant(row, "disabled_at"));
  }

  private static ApiKey readApiKey(ResultSet row) throws SQLException {
    return new ApiKey(
        row.getLong("id"),
        row.getLong("user_id"),
        row.getString("name"),
        row.getString("prefix"),
        getInstant(row, "created_at"),
        getInstant(row, "last_used_at"),
        getInstant(row, "revoked_at"));
  }

  private static Video readVideo(ResultSet row) throws SQLException {
    return new Video(
        new VideoId(row.getString("id")),
        row.getLong("owner_id"),
        row.getString("title"),
        row.getString("description"),
        row.getString("language"),
        readTags(row.getString("tags")),
        VideoState.valueOf(row.getString("state")),
        row.getString("error_code"),
        row.getString("filename"),
        row.getString("content_type"),
        row.getString("profile"),
        row.getObject("size_bytes", Long.class),
        row.getString("sha256"),
        row.getObject("duration_ms", Long.class),
        getInstant(row, "upload_expires_at"),
        getInstant(row, "created_at"),
        getInstant(row, "updated_at"),
        row.getString("plan_options"),
        row.getString("error_message"));
  }

  // Tags are a JSON array of strings in one text column (see V2__video_upload_fields.sql).
  private static String writeTags(List<String> tags) {
    return Json.write(tags);
  }

  private static List<String> readTags(String json) throws SQLException {
    // Only a hand edit of the column can make it anything but an array of strings.
    String[] tags;
    try {
      tags = Json.mapper().readValue(json, String[].class);
    } catch (JsonProcessingException e) {
      throw new SQLException("videos.tags is not a JSON array of strings", e);
    }
    if (tags == null || Arrays.asList(tags).contains(null)) {
      throw new SQLException("videos.tags is not a JSON array of strings");
    }
    return List.of(tags);
  }

  // ---- JDBC plumbing

  /** A unit of work on a connection. */
  private Instant now() {
    // Microseconds: what TIMESTAMP(6) keeps on both databases, so what we return is what we read.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static boolean isForeignKeyViolation(SQLException e) {
    return FK_VIOLATION_PG.equals(e.getSQLState()) || FK_VIOLATION_H2.equals(e.getSQLState());
  }
}
