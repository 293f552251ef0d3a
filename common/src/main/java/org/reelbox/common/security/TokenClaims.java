package org.reelbox.common.security;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a signed token says: who may do what to which subject, until when.
 *
 * @param subject what the token is for, usually a video id; not blank, at most {@value
 *     #MAX_SUBJECT_LENGTH} characters
 * @param scope what the bearer may do
 * @param owner the user the token was issued to, or {@code null} when none; an empty string is held
 *     as {@code null}. When present: not blank, at most {@value #MAX_OWNER_LENGTH} characters
 * @param byteLimit the most bytes the bearer may send (for {@link TokenScope#UPLOAD}); {@code 0}
 *     means no limit; never negative
 * @param expiresAt the first instant at which the token is no longer valid. Held at whole-second
 *     precision because the wire carries epoch seconds: a sub-second part is truncated, which can
 *     only make a token expire earlier, never later
 * @param keyId the id of the key that signed the token; {@code null} before signing. {@link
 *     Tokens#sign} sets it and {@link Tokens#verify} returns it
 */
public record TokenClaims(
    String subject,
    TokenScope scope,
    String owner,
    long byteLimit,
    Instant expiresAt,
    String keyId) {

  public static final int MAX_SUBJECT_LENGTH = 128;

  /** Bounded, like the subject, so that every valid token fits {@link Tokens#MAX_TOKEN_LENGTH}. */
  public static final int MAX_OWNER_LENGTH = 128;

  /** Key ids travel inside the payload; keep them short and plain. */
  static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  public TokenClaims {
    requireNonNull(subject, "subject");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank, got '" + subject + "'");
    }
    if (subject.length() > MAX_SUBJECT_LENGTH) {
      throw new IllegalArgumentException(
          "subject must be at most " + MAX_SUBJECT_LENGTH + " characters, got " + subject.length());
    }
    requireNonNull(scope, "scope");
    if (owner != null && owner.isEmpty()) {
      owner = null;
    }
    if (owner != null && owner.isBlank()) {
      throw new IllegalArgumentException("owner must be absent or not blank, got '" + owner + "'");
    }
    if (owner != null && owner.length() > MAX_OWNER_LENGTH) {
      throw new IllegalArgumentException(
          "owner must be at most " + MAX_OWNER_LENGTH + " characters, got " + owner.length());
    }
    if (byteLimit < 0) {
      throw new IllegalArgumentException("byteLimit must be >= 0 (0 = none), got " + byteLimit);
    }
    expiresAt = requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.SECONDS);
    if (keyId != null && !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException(
          "keyId must match " + KEY_ID.pattern() + ", got '" + keyId + "'");
    }
  }

  /** Claims that no key has signed yet, ready for {@link Tokens#sign}. */
  public static TokenClaims unsigned(
      String subject, TokenScope scope, String owner, long byteLimit, Instant expiresAt) {
    return new TokenClaims(subject, scope, owner, byteLimit, expiresAt, null);
  }

  /** The owner, if the token names one. */
  public Optional<String> ownerIfPresent() {
    return Optional.ofNullable(owner);
  }

  /** Whether the token limits the bytes its bearer may send. */
  public boolean hasByteLimit() {
    return byteLimit > 0;
  }

  public TokenClaims withKeyId(String newKeyId) {
    return new TokenClaims(subject, scope, owner, byteLimit, expiresAt, newKeyId);
  }
}
