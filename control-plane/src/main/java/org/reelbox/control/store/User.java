package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.regex.Pattern;
import org.reelbox.control.store.internal.Fields;

/**
 * A user account.
 *
 * <p>It carries no password hash on purpose: a {@code User} may be serialized into an API answer or
 * a log line, and neither may ever show a hash. Use {@link MetadataStore#findPasswordHash} to check
 * a password.
 *
 * @param id the database id, positive
 * @param username see {@link #checkUsername}
 * @param role what the user may do
 * @param createdAt when the account was created
 * @param updatedAt when the account last changed
 * @param disabledAt when an admin disabled the account, or null while it is enabled: a disabled
 *     user cannot sign in, has no sessions, and their API keys authenticate nobody
 */
public record User(
    long id,
    String username,
    UserRole role,
    Instant createdAt,
    Instant updatedAt,
    Instant disabledAt) {
  /** The longest username, in characters. */
  public static final int MAX_USERNAME_LENGTH = 64;

  // Lower case only: uniqueness then means the same thing on H2 and PostgreSQL (whatever the
  // collation), and "Admin" can never sit beside "admin".
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public User {
    Fields.id("id", id);
    checkUsername(username);
    requireNonNull(role, "role");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  /** An enabled user. */
  public User(long id, String username, UserRole role, Instant createdAt, Instant updatedAt) {
    this(id, username, role, createdAt, updatedAt, null);
  }

  /** Whether an admin disabled the account. */
  public boolean disabled() {
    return disabledAt != null;
  }

  /**
   * Checks a username: 1 to 64 characters of lower-case ASCII letters, digits, {@code .}, {@code _}
   * and {@code -}, starting with a letter or digit.
   *
   * @return the username
   * @throws IllegalArgumentException if it is not one
   */
  public static String checkUsername(String username) {
    requireNonNull(username, "username");
    if (!USERNAME.matcher(username).matches()) {
      throw new IllegalArgumentException(
          "username must be 1 to "
              + MAX_USERNAME_LENGTH
              + " lower-case letters, digits, '.', '_' or '-', starting with a letter or digit;"
              + " got '"
              + (username.length() > 80 ? username.substring(0, 80) + "…" : username)
              + "'");
    }
    return username;
  }
}
