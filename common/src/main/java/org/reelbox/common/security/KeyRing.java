package org.reelbox.common.security;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.reelbox.common.config.ClusterConfig;

/**
 * The HMAC keys that sign and verify tokens: key id → secret, plus the id of the current key, the
 * one {@link Tokens#sign} uses. Every key in the ring verifies.
 *
 * <p>Rotation: {@link #rotatedTo} adds a new key and makes it current; tokens signed with the older
 * keys keep verifying until those keys are removed with {@link #withoutKey}, after which they fail
 * with {@link TokenError#UNKNOWN_KEY}. Remove an old key only once its longest-lived token has
 * expired.
 *
 * <p>Immutable and thread-safe: each change returns a new ring. {@link #toString()} names key ids
 * only, never secrets.
 */
public final class KeyRing {
  /** The fewest secret bytes a key may have: the output size of SHA-256. */
  public static final int MIN_SECRET_BYTES = 32;

  /** The key id of the key {@link #derivedFrom} derives. */
  public static final String DERIVED_KEY_ID = "k1";

  /**
   * The HMAC message that derives the token key from the cluster secret. Versioned so that a future
   * token format can derive a different key from the same secret.
   */
  static final String TOKEN_KEY_LABEL = "reelbox-token-v1";

  private final Map<String, SecretKeySpec> keys; // insertion order, unmodifiable
  private final String currentKeyId;

  private KeyRing(Map<String, SecretKeySpec> keys, String currentKeyId) {
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    this.currentKeyId = currentKeyId;
  }

  /**
   * A ring of one key, {@value #DERIVED_KEY_ID}, derived as HMAC-SHA256(key = the cluster secret in
   * UTF-8, message = {@code "reelbox-token-v1"}). The cluster secret also authenticates service
   * calls ({@link ClusterAuth}, with a value derived under another label); deriving keeps the uses
   * apart, so the token key is never the secret itself, and knowing one derived value gives nothing
   * about the other.
   *
   * @param clusterSecret at least {@value ClusterConfig#MIN_SECRET_LENGTH} characters
   */
  public static KeyRing derivedFrom(String clusterSecret) {
    byte[] key =
        HmacSha256.mac(
            ClusterAuth.requireClusterSecret(clusterSecret).getBytes(StandardCharsets.UTF_8),
            TOKEN_KEY_LABEL.getBytes(StandardCharsets.UTF_8));
    return builder().add(DERIVED_KEY_ID, key).build();
  }

  /** A builder for a ring of several keys. */
  public static Builder builder() {
    return new Builder();
  }

  /** The id of the key that signs new tokens. */
  public String currentKeyId() {
    return currentKeyId;
  }

  /** Every key id in the ring, in the order the keys were added. */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }

  public boolean contains(String keyId) {
    return keys.containsKey(requireNonNull(keyId, "keyId"));
  }

  /** This ring plus a key that verifies but does not sign (yet). */
  public KeyRing withKey(String keyId, byte[] secret) {
    Map<String, SecretKeySpec> copy = new LinkedHashMap<>(keys);
    putNew(copy, keyId, secret);
    return new KeyRing(copy, currentKeyId);
  }

  /** This ring, signing with {@code keyId}, which must already be in the ring. */
  public KeyRing withCurrentKey(String keyId) {
    requireKnown(keys, keyId);
    return new KeyRing(keys, keyId);
  }

  /** Rotation in one step: this ring plus a new key, which becomes the current one. */
  public KeyRing rotatedTo(String keyId, byte[] secret) {
    return withKey(keyId, secret).withCurrentKey(keyId);
  }

  /**
   * This ring without {@code keyId}: tokens that key signed stop verifying. The current key cannot
   * be removed; make another key current first.
   */
  public KeyRing withoutKey(String keyId) {
    requireKnown(keys, keyId);
    if (keyId.equals(currentKeyId)) {
      throw new IllegalArgumentException(
          "cannot remove the current key '" + keyId + "'; make another key current first");
    }
    Map<String, SecretKeySpec> copy = new LinkedHashMap<>(keys);
    copy.remove(keyId);
    return new KeyRing(copy, currentKeyId);
  }

  /** The key with this id, or {@code null}. Package-private: secrets never leave the package. */
  SecretKeySpec key(String keyId) {
    return keys.get(keyId);
  }

  SecretKeySpec currentKey() {
    return keys.get(currentKeyId);
  }

  @Override
  public String toString() {
    return "KeyRing[current=" + currentKeyId + ", keyIds=" + keys.keySet() + "]";
  }

  private static void putNew(Map<String, SecretKeySpec> keys, String keyId, byte[] secret) {
    requireNonNull(keyId, "keyId");
    requireNonNull(secret, "secret");
    if (!TokenClaims.KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException(
          "keyId must match " + TokenClaims.KEY_ID.pattern() + ", got '" + keyId + "'");
    }
    if (secret.length < MIN_SECRET_BYTES) {
      // The length only, never the bytes.
      throw new IllegalArgumentException(
          "secret of key '"
              + keyId
              + "' must be at least "
              + MIN_SECRET_BYTES
              + " bytes, got "
              + secret.length);
    }
    if (keys.containsKey(keyId)) {
      // Replacing the secret under an existing id would silently break every token it signed.
      throw new IllegalArgumentException("key '" + keyId + "' is already in the ring");
    }
    keys.put(keyId, HmacSha256.key(secret)); // SecretKeySpec copies the bytes
  }

  private static void requireKnown(Map<String, SecretKeySpec> keys, String keyId) {
    requireNonNull(keyId, "keyId");
    if (!keys.containsKey(keyId)) {
      throw new IllegalArgumentException(
          "no key '" + keyId + "' in the ring; it holds " + keys.keySet());
    }
  }

  /**
   * Builds a {@link KeyRing}. Defaults: the current key is the last one added, unless {@link
   * #current} names another. At least one key is required.
   */
  public static final class Builder {
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private String current;

    private Builder() {}

    /**
     * Adds a key. The secret is copied.
     *
     * @param keyId 1 to 32 characters of {@code [A-Za-z0-9_-]}, unique in the ring
     * @param secret at least {@value KeyRing#MIN_SECRET_BYTES} bytes
     */
    public Builder add(String keyId, byte[] secret) {
      putNew(keys, keyId, secret);
      return this;
    }

    /** Makes {@code keyId}, which must be added before {@link #build}, the signing key. */
    public Builder current(String keyId) {
      this.current = requireNonNull(keyId, "keyId");
      return this;
    }

    public KeyRing build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("a key ring needs at least one key");
      }
      String currentKeyId = current;
      if (currentKeyId == null) {
        currentKeyId = List.copyOf(keys.keySet()).get(keys.size() - 1);
      }
      requireKnown(keys, currentKeyId);
      return new KeyRing(keys, currentKeyId);
    }
  }
}
