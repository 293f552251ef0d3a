package org.reelbox.common.security;

import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets from a {@link SecureRandom}: API keys, key ring secrets, cluster secrets. */
public final class Secrets {
  // SecureRandom is thread-safe; one shared instance avoids reseeding on every call.
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /**
   * {@code bytes} random bytes as base64url without padding: URL-, header- and file-safe text of
   * ceil(bytes * 4 / 3) characters. Use at least 32 bytes for a credential.
   *
   * @throws IllegalArgumentException if {@code bytes < 1}
   */
  public static String randomToken(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("bytes must be at least 1, got " + bytes);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
  }

  /**
   * {@code n} random bytes.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static byte[] randomBytes(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, got " + n);
    }
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
