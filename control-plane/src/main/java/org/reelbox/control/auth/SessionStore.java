package org.reelbox.control.auth;

import static java.util.Objects.requireNonNull;
import static org.reelbox.control.store.Sql.getInstant;
import static org.reelbox.control.store.Sql.setInstant;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.reelbox.control.store.Sql;
import org.reelbox.control.store.UnknownUserException;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.internal.ApiKeys;

/**
 * Browser sessions in the metadata database (table {@code sessions}, V12), so that every
 * control-plane node accepts them and a restart keeps them.
 *
 * <p>The cookie value is 256 random bits (base64url, 43 characters); the table keeps only its
 * SHA-256, as with API keys. A session ends at the earlier of:
 *
 * <ul>
 *   <li>{@link #IDLE_TIMEOUT} after it was last used. Using it moves {@code last_seen_at} and the
 *       expiry only when the stored value is {@link #LAST_SEEN_GRANULARITY} old, so a page that
 *       calls the API every second costs a write a minute, not a write a call; the idle timeout is
 *       thus exact to within that granularity;
 *   <li>{@link #MAX_AGE} after sign-in, however busy;
 *   <li>sign-out, or an admin disabling the user or resetting their password ({@link
 *       #deleteAllOf}).
 * </ul>
 *
 * {@code expires_at} holds the earlier of the first two, so validity and the {@linkplain
 * #purgeExpired purge} are each one comparison on it. A disabled user's sessions are deleted when
 * they are disabled, and {@link #resolve} refuses them anyway.
 *
 * <p>Thread-safe: no state but the pool.
 */
public final class SessionStore {
  public static final Duration IDLE_TIMEOUT = Duration.ofHours(12);
  public static final Duration MAX_AGE = Duration.ofDays(7);
  public static final Duration LAST_SEEN_GRANULARITY = Duration.ofMinutes(1);

  // 32 bytes in base64url without padding.
  private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final String FK_VIOLATION_PG = "23503";
  private static final String FK_VIOLATION_H2 = "23506";

  private final Sql db;
  private final Clock clock;
  private final SecureRandom random;

  public SessionStore(DataSource dataSource, Clock clock, SecureRandom random) {
    this.db = new Sql(requireNonNull(dataSource, "dataSource"));
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  /**
   * Signs {@code user} in: a new session with a fresh cookie value and CSRF token.
   *
   * @throws UnknownUserException if there is no such user
   */
  public NewSession create(User user) {
    requireNonNull(user, "user");
    String cookieValue = randomToken();
    String csrfToken = randomToken();
    String idHash = ApiKeys.hash(cookieValue);
    Instant now = now();
    Instant expiresAt = expiry(now, now);
    db.run(
        "create session",
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at,"
                      + " expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, idHash);
            insert.setLong(2, user.id());
            insert.setString(3, csrfToken);
            setInstant(insert, 4, now);
            setInstant(insert, 5, now);
            setInstant(insert, 6, expiresAt);
            return insert.executeUpdate();
          } catch (SQLException e) {
            if (FK_VIOLATION_PG.equals(e.getSQLState())
                || FK_VIOLATION_H2.equals(e.getSQLState())) {
              throw new UnknownUserException(user.id(), e);
            }
            throw e;
          }
        });
    return new NewSession(cookieValue, new Session(idHash, user, csrfToken, now, expiresAt));
  }

  /**
   * The live session a cookie value names, with its user as stored now; empty when the value is
   * malformed or unknown, the session expired or ended, or the user is disabled. Records the use
   * (see the class comment).
   */
  public Optional<Session> resolve(String cookieValue) {
    requireNonNull(cookieValue, "cookieValue");
    if (!COOKIE_VALUE.matcher(cookieValue).matches()) {
      return Optional.empty();
    }
    String idHash = ApiKeys.hash(cookieValue);
    Instant now = now();
    return db.run(
        "resolve session",
        connection -> {
          Session session;
          Instant lastSeenAt;
          try (PreparedStatement select =
              connection.prepareStatement(
                  "SELECT s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,"
                      + " u.id, u.username, u.role, u.created_at, u.updated_at"
                      + " FROM sessions s JOIN users u ON u.id = s.user_id"
                      + " WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL")) {
            select.setString(1, idHash);
            setInstant(select, 2, now);
            try (ResultSet row = select.executeQuery()) {
              if (!row.next()) {
                return Optional.<Session>empty();
              }
              User user =
                  new User(
                      row.getLong(5),
                      row.getString(6),
                      UserRole.valueOf(row.getString(7)),
                      getInstant(row, 8),
                      getInstant(row, 9));
              lastSeenAt = getInstant(row, 3);
              session =
                  new Session(
                      idHash, user, row.getString(1), getInstant(row, 2), getInstant(row, 4));
            }
          }
          if (!lastSeenAt.plus(LAST_SEEN_GRANULARITY).isAfter(now)) {
            Instant expiresAt = expiry(session.createdAt(), now);
            try (PreparedStatement touch =
                connection.prepareStatement(
                    "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?")) {
              setInstant(touch, 1, now);
              setInstant(touch, 2, expiresAt);
              touch.setString(3, idHash);
              touch.executeUpdate();
            }
            session =
                new Session(
                    idHash, session.user(), session.csrfToken(), session.createdAt(), expiresAt);
          }
          return Optional.of(session);
        });
  }

  /** Ends the session a cookie value names; false if there was none. */
  public boolean delete(String cookieValue) {
    requireNonNull(cookieValue, "cookieValue");
    return deleteByHash(ApiKeys.hash(cookieValue));
  }

  /** Ends a session by its {@link Session#idHash}; false if there was none. */
  public boolean deleteByHash(String idHash) {
    requireNonNull(idHash, "idHash");
    return db.run(
            "delete session",
            connection ->
                Sql.update(
                    connection,
                    "DELETE FROM sessions WHERE id_hash = ?",
                    statement -> statement.setString(1, idHash)))
        > 0;
  }

  /** Ends every session of a user; returns how many there were. */
  public int deleteAllOf(long userId) {
    return db.run(
        "delete sessions of user",
        connection ->
            Sql.update(
                connection,
                "DELETE FROM sessions WHERE user_id = ?",
                statement -> statement.setLong(1, userId)));
  }

  /** Deletes the sessions that have expired; returns how many. Run now and then (hourly). */
  public int purgeExpired() {
    Instant now = now();
    return db.run(
        "purge expired sessions",
        connection ->
            Sql.update(
                connection,
                "DELETE FROM sessions WHERE expires_at <= ?",
                statement -> setInstant(statement, 1, now)));
  }

  private static Instant expiry(Instant createdAt, Instant lastSeenAt) {
    Instant idle = lastSeenAt.plus(IDLE_TIMEOUT);
    Instant absolute = createdAt.plus(MAX_AGE);
    return idle.isBefore(absolute) ? idle : absolute;
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
