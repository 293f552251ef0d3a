package org.reelbox.control.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reelbox.common.testing.MutableClock;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.UnknownUserException;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserPatch;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.internal.ApiKeys;
import org.reelbox.control.store.internal.JdbcMetadataStore;

/** The session store on a real database (H2 and PostgreSQL subclasses), with a manual clock. */
abstract class SessionStoreContract {
  private static final Instant START = Instant.parse("2026-03-01T12:00:00.123456789Z");
  private static final String HASH = "$2a$04$abcdefghijklmnopqrstuuJ7mGk1yDkC0pW6wq0v0Hk3jO6Cq5F8W";

  protected final MutableClock clock = new MutableClock(START);
  private SessionStore sessions;
  private MetadataStore users;
  private User alice;

  /** A data source on an empty, migrated database. */
  protected abstract DataSource dataSource() throws Exception;

  protected void release() throws Exception {}

  @BeforeEach
  void open() throws Exception {
    DataSource dataSource = dataSource();
    sessions = new SessionStore(dataSource, clock, new SecureRandom());
    users = new JdbcMetadataStore(dataSource, clock);
    alice = users.createUser("alice", UserRole.CREATOR, HASH);
  }

  @AfterEach
  void close() throws Exception {
    release();
  }

  private static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  @Test
  void create_thenResolve_givesUserAndTokenAndKeepsOnlyTheHash() {
    NewSession created = sessions.create(alice);

    assertThat(created.cookieValue()).matches("[A-Za-z0-9_-]{43}");
    Session session = created.session();
    assertThat(session.idHash()).isEqualTo(ApiKeys.hash(created.cookieValue()));
    assertThat(session.csrfToken())
        .matches("[A-Za-z0-9_-]{43}")
        .isNotEqualTo(created.cookieValue());
    assertThat(session.createdAt()).isEqualTo(micros(START));
    assertThat(session.expiresAt()).isEqualTo(micros(START).plus(SessionStore.IDLE_TIMEOUT));
    assertThat(created.toString()).doesNotContain(created.cookieValue());

    Session resolved = sessions.resolve(created.cookieValue()).orElseThrow();
    assertThat(resolved).isEqualTo(session);
    assertThat(resolved.user()).isEqualTo(alice);
  }

  @Test
  void create_manySessions_distinctValuesAndTokens() {
    Set<String> values = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      NewSession s = sessions.create(alice);
      values.add(s.cookieValue());
      values.add(s.session().csrfToken());
    }
    assertThat(values).hasSize(40);
  }

  @Test
  void create_unknownUser_throwsUnknownUser() {
    User ghost = new User(987_654, "ghost", UserRole.VIEWER, START, START);
    assertThatThrownBy(() -> sessions.create(ghost)).isInstanceOf(UnknownUserException.class);
  }

  @Test
  void resolve_malformedOrUnknown_empty() {
    String value = sessions.create(alice).cookieValue();
    char last = value.charAt(value.length() - 1);
    for (String wrong :
        new String[] {
          "",
          "x",
          value + "x",
          value.substring(1),
          value.substring(0, 42) + (last == 'A' ? 'B' : 'A'),
          "A".repeat(43),
          "'; DROP TABLE sessions; --"
        }) {
      assertThat(sessions.resolve(wrong)).as(wrong).isEmpty();
    }
    assertThat(sessions.resolve(value)).isPresent();
  }

  @Test
  void resolve_idleForTheTimeout_expires() {
    String value = sessions.create(alice).cookieValue();

    clock.advance(SessionStore.IDLE_TIMEOUT.minusSeconds(1));
    assertThat(sessions.resolve(value)).isPresent();
    // That use moved the idle expiry.
    clock.advance(SessionStore.IDLE_TIMEOUT.minusSeconds(1));
    Session session = sessions.resolve(value).orElseThrow();
    assertThat(session.expiresAt())
        .isEqualTo(micros(clock.instant()).plus(SessionStore.IDLE_TIMEOUT));

    clock.advance(SessionStore.IDLE_TIMEOUT);
    assertThat(sessions.resolve(value)).isEmpty();
  }

  @Test
  void resolve_usedWithinAMinute_doesNotMoveTheExpiry() {
    NewSession created = sessions.create(alice);
    clock.advance(Duration.ofSeconds(59));
    assertThat(sessions.resolve(created.cookieValue()).orElseThrow().expiresAt())
        .isEqualTo(created.session().expiresAt());
    clock.advance(Duration.ofSeconds(1));
    assertThat(sessions.resolve(created.cookieValue()).orElseThrow().expiresAt())
        .isEqualTo(micros(START.plusSeconds(60)).plus(SessionStore.IDLE_TIMEOUT));
  }

  @Test
  void resolve_busyForTheMaxAge_expiresAnyway() {
    String value = sessions.create(alice).cookieValue();
    Duration step = SessionStore.IDLE_TIMEOUT.minusHours(1);
    Instant end = START.plus(SessionStore.MAX_AGE);
    while (clock.instant().plus(step).isBefore(end)) {
      clock.advance(step);
      Session session = sessions.resolve(value).orElseThrow();
      assertThat(session.expiresAt()).isBeforeOrEqualTo(micros(end));
    }
    clock.set(end);
    assertThat(sessions.resolve(value)).isEmpty();
  }

  @Test
  void resolve_disabledUser_emptyAndRoleChangeShowsAtOnce() {
    String value = sessions.create(alice).cookieValue();
    users.updateUser(alice.id(), UserPatch.NONE.withRole(UserRole.ADMIN));
    assertThat(sessions.resolve(value).orElseThrow().user().role()).isEqualTo(UserRole.ADMIN);

    users.updateUser(alice.id(), UserPatch.NONE.withDisabled(true));
    assertThat(sessions.resolve(value)).isEmpty();
  }

  @Test
  void delete_endsOnlyThatSession() {
    String first = sessions.create(alice).cookieValue();
    NewSession second = sessions.create(alice);

    assertThat(sessions.delete(first)).isTrue();
    assertThat(sessions.delete(first)).isFalse();
    assertThat(sessions.resolve(first)).isEmpty();
    assertThat(sessions.resolve(second.cookieValue())).isPresent();
    assertThat(sessions.deleteByHash(second.session().idHash())).isTrue();
    assertThat(sessions.resolve(second.cookieValue())).isEmpty();
  }

  @Test
  void deleteAllOf_endsEveryOneOfThatUser() {
    User bob = users.createUser("bob", UserRole.VIEWER, HASH);
    String a1 = sessions.create(alice).cookieValue();
    String a2 = sessions.create(alice).cookieValue();
    String b = sessions.create(bob).cookieValue();

    assertThat(sessions.deleteAllOf(alice.id())).isEqualTo(2);

    assertThat(sessions.resolve(a1)).isEmpty();
    assertThat(sessions.resolve(a2)).isEmpty();
    assertThat(sessions.resolve(b)).isPresent();
    assertThat(sessions.deleteAllOf(alice.id())).isZero();
  }

  @Test
  void purgeExpired_deletesOnlyExpired() {
    String old = sessions.create(alice).cookieValue();
    clock.advance(Duration.ofHours(6));
    String recent = sessions.create(alice).cookieValue();
    clock.advance(Duration.ofHours(6));

    assertThat(sessions.purgeExpired()).isEqualTo(1);
    assertThat(sessions.purgeExpired()).isZero();
    assertThat(sessions.resolve(recent)).isPresent();
    assertThat(sessions.resolve(old)).isEmpty();
  }
}
