package org.reelbox.control.store.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The API key format: {@code rbx_} and 32 random bytes in base64url without padding (47 characters
 * in all), stored as the SHA-256 of the whole key. The prefix makes a leaked key easy to recognise
 * by secret scanners and people alike.
 */
public final class ApiKeys {
  /** What every key starts with. */
  public static final String PREFIX = "rbx_";

  /** How many characters of a key are stored in the clear to tell keys apart: "rbx_" + 8. */
  public static final int SHOWN_CHARS = PREFIX.length() + 8;

  private ApiKeys() {}

  /** A fresh key: {@code rbx_} and 256 bits from {@code random}. */
  public static String generate(SecureRandom random) {
    requireNonNull(random, "random");
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The part of a key that may be shown and stored in the clear. */
  public static String shownPrefix(String key) {
    return key.substring(0, Math.min(SHOWN_CHARS, key.length()));
  }

  /**
   * The SHA-256 of {@code key}'s UTF-8 bytes, lower-case hex: what the store keeps and looks up.
   */
  public static String hash(String key) {
    requireNonNull(key, "key");
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(key.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new AssertionError("SHA-256 is missing", e);
    }
  }
}
