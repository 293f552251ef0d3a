package org.reelbox.control.store;

import java.util.List;
import java.util.Optional;

/**
 * The control plane's metadata: users, API keys and videos. The database behind it is the source of
 * truth; implementations keep no state that another instance could not see, except caches that
 * every write through them invalidates.
 *
 * <p>Contracts shared by every method:
 *
 * <ul>
 *   <li>A null argument throws {@link NullPointerException}; an argument out of its documented
 *       range throws {@link IllegalArgumentException} naming it. Neither touches the database.
 *   <li>"Not found" is an empty {@link Optional}, an empty list, {@code false} or {@link
 *       TransitionResult.Outcome#NOT_FOUND}, never an exception.
 *   <li>A database failure throws {@link MetadataStoreException}.
 *   <li>Timestamps come from the store's clock, truncated to microseconds (what both H2 and
 *       PostgreSQL keep), so a value returned by a write equals the value read back later.
 * </ul>
 *
 * <p>Implementations: {@code JdbcMetadataStore} (H2 and PostgreSQL), {@code CachingMetadataStore}
 * (a decorator), and an in-memory fake in the tests; all pass {@code MetadataStoreContract}.
 */
public interface MetadataStore {
  /** The most results one page of a list may hold. */
  int MAX_PAGE_SIZE = 1000;

  // ---- users

  /**
   * Creates a user.
   *
   * @param username see {@link User#checkUsername}
   * @param passwordHash the bcrypt hash from {@link PasswordHasher#hash}; the store never sees a
   *     password
   * @throws DuplicateUsernameException if the username is taken
   */
  User createUser(String username, UserRole role, String passwordHash);

  /** The user with this id, or empty. */
  Optional<User> findUserById(long userId);

  /** The user with this username, or empty. A malformed username finds nothing. */
  Optional<User> findUserByUsername(String username);

  /** The stored password hash of a user, or empty if there is no such user. */
  Optional<String> findPasswordHash(long userId);

  /**
   * One page of users in the order they were created.
   *
   * @param offset how many users to skip, 0 or more
   * @param limit the most users to return, 1 to {@value #MAX_PAGE_SIZE}
   */
  List<User> listUsers(int offset, int limit);

  /**
   * Applies a patch to a user: the fields it sets are written in one statement, and {@code
   * updatedAt} becomes now (also for {@link UserPatch#NONE}). Disabling sets {@code disabledAt} to
   * now unless the user already was disabled; enabling clears it. Ending the user's sessions is the
   * caller's part (they live in their own table, see {@code auth.SessionStore}).
   *
   * @return the user as this call left it, or empty if there is no such user
   */
  Optional<User> updateUser(long userId, UserPatch patch);

  // ---- API keys

  /**
   * Creates an API key for a user and returns its plaintext, the only time the plaintext leaves the
   * store: it keeps only the key's SHA-256.
   *
   * @param name see {@link ApiKey#checkName}
   * @throws UnknownUserException if there is no such user
   */
  CreatedApiKey createApiKey(long userId, String name);

  /** The keys of a user, live and revoked, in the order they were created. */
  List<ApiKey> listApiKeys(long userId);

  /**
   * The user a key authenticates as, or empty when the key is unknown, revoked or malformed, or its
   * user is {@linkplain User#disabled() disabled}.
   *
   * <p>Takes the same path for every input (hash, then one indexed lookup of the hash), so timing
   * tells an attacker nothing about how close a guess came. On success the key's {@code lastUsedAt}
   * becomes now, unless it was set less than a minute ago: a key used by every request of a busy
   * client should not cost a write per request.
   */
  Optional<User> findUserByApiKey(String plaintextKey);

  /**
   * Revokes a key, for good: it never authenticates again.
   *
   * @return true if this call revoked it; false if there is no such key or it was already revoked
   */
  boolean revokeApiKey(long apiKeyId);

  // ---- videos

  /**
   * Creates a video in state {@link VideoState#UPLOADING} with a fresh random id.
   *
   * @throws UnknownUserException if the owner does not exist
   */
  Video createVideo(NewVideo video);

  /** The video with this id, or empty. */
  Optional<Video> findVideo(VideoId videoId);

  /**
   * One page of an owner's videos, newest first (ties broken by id, so pages never overlap while
   * nothing is added).
   *
   * @param offset how many videos to skip, 0 or more
   * @param limit the most videos to return, 1 to {@value #MAX_PAGE_SIZE}
   */
  List<Video> listVideosByOwner(long ownerId, int offset, int limit);

  /**
   * Applies a patch to a video's title, description, language and tags, in any state: the fields
   * the patch sets are written in one statement, the others keep their stored values, and {@code
   * updatedAt} becomes now (also for {@link VideoPatch#NONE}).
   *
   * @return the updated video as this call wrote it, or empty if there is no such video
   */
  Optional<Video> updateVideoMetadata(VideoId videoId, VideoPatch patch);

  /**
   * Moves a video to {@code transition.to()} if, and only if, it is in one of {@code
   * transition.from()} at that moment: a compare-and-set on the state in the database, so that of
   * any number of concurrent or repeated identical requests exactly one is {@link
   * TransitionResult.Outcome#APPLIED} and the others see {@link
   * TransitionResult.Outcome#ALREADY_IN_STATE}. A video in any other state is left alone ({@link
   * TransitionResult.Outcome#REFUSED}).
   *
   * <p>When it applies, the transition's non-null details (size, checksum, duration, error code)
   * are written with the state in the same statement.
   */
  TransitionResult transitionVideo(VideoTransition transition);
}
