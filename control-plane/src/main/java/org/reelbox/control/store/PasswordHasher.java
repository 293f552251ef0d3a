package org.reelbox.control.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import at.favre.lib.crypto.bcrypt.BCrypt;

/**
 * Hashes and checks passwords with bcrypt ({@code $2a$}, via at.favre.lib:bcrypt).
 *
 * <p>bcrypt reads at most 72 bytes of a password. Rather than silently ignore the rest, {@link
 * #hash} refuses longer passwords, and {@link #verify} answers false for them.
 */
public final class PasswordHasher {
  /** The cost (log2 of the rounds) for new hashes: about a quarter of a second on one core. */
  public static final int DEFAULT_COST = 12;

  /** The most UTF-8 bytes of a password that bcrypt reads. */
  public static final int MAX_PASSWORD_BYTES = 72;

  // A hash of a random password nobody kept, at DEFAULT_COST: checking a login of an unknown user
  // against it costs what checking a real user's password costs.
  private static final String DEFAULT_COST_DUMMY =
      "$2a$12$0pM1dDieUKEnI2V8g4Z.PeGdWtMjFQKa3A91emb5yKoxURrPOwA9u";

  private final int cost;
  private volatile String dummyHash;

  /** A hasher with {@link #DEFAULT_COST}. */
  public PasswordHasher() {
    this(DEFAULT_COST);
  }

  /**
   * @param cost 4 to 31; tests may use 4 to stay fast, production uses {@link #DEFAULT_COST}
   */
  public PasswordHasher(int cost) {
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("bcrypt cost must be between 4 and 31, got " + cost);
    }
    this.cost = cost;
  }

  /** The cost of the hashes this hasher makes. */
  public int cost() {
    return cost;
  }

  /**
   * A salted bcrypt hash of {@code password}, 60 characters, for {@link MetadataStore#createUser}.
   *
   * @throws IllegalArgumentException if the password is empty or longer than {@value
   *     #MAX_PASSWORD_BYTES} UTF-8 bytes (the message never shows it)
   */
  public String hash(String password) {
    requireNonNull(password, "password");
    if (password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
    int bytes = password.getBytes(UTF_8).length;
    if (bytes > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException(
          "password must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8, got " + bytes);
    }
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  /**
   * A hash that no password is known to match, made with this hasher's cost: a login for a user who
   * does not exist is checked against it, so that it takes as long as one for a user who does (the
   * time must not tell which usernames exist).
   */
  public String dummyHash() {
    String hash = dummyHash;
    if (hash == null) {
      // Only tests use other costs, and they use cheap ones; a race makes two, harmlessly.
      hash =
          cost == DEFAULT_COST ? DEFAULT_COST_DUMMY : hash(java.util.UUID.randomUUID().toString());
      dummyHash = hash;
    }
    return hash;
  }

  /**
   * Whether {@code password} matches {@code hash}. A malformed hash or an over-long password is a
   * mismatch, not an error, so that a login with bad input is just a failed login.
   */
  public boolean verify(String password, String hash) {
    requireNonNull(password, "password");
    requireNonNull(hash, "hash");
    if (password.getBytes(UTF_8).length > MAX_PASSWORD_BYTES) {
      return false;
    }
    try {
      return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    } catch (IllegalArgumentException e) {
      // The library throws for some malformed hashes instead of reporting an invalid format.
      return false;
    }
  }
}
