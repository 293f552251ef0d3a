package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.reelbox.control.store.internal.Fields;

/**
 * An API key as the store keeps it: never the key itself, which is shown once at creation (see
 * {@link CreatedApiKey}) and stored only as its SHA-256.
 *
 * @param id the database id, positive
 * @param userId the user the key authenticates as
 * @param name what the user called the key ("laptop", "ci")
 * @param prefix the key's first characters, enough for a person to tell their keys apart
 * @param createdAt when the key was created
 * @param lastUsedAt when the key last authenticated, to within a minute (a use writes it only when
 *     the stored value is a minute old); null if never
 * @param revokedAt when the key was revoked; null while it is live
 */
public record ApiKey(
    long id,
    long userId,
    String name,
    String prefix,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt) {
  /** The longest key name, in characters. */
  public static final int MAX_NAME_LENGTH = 100;

  public ApiKey {
    Fields.id("id", id);
    Fields.id("userId", userId);
    checkName(name);
    requireNonNull(prefix, "prefix");
    requireNonNull(createdAt, "createdAt");
  }

  /** Whether the key has been revoked and no longer authenticates. */
  public boolean revoked() {
    return revokedAt != null;
  }

  /**
   * Checks a key name: non-blank single-line text of at most {@value #MAX_NAME_LENGTH} characters.
   *
   * @return the name
   */
  public static String checkName(String name) {
    return Fields.nonBlankText("name", name, MAX_NAME_LENGTH);
  }
}
