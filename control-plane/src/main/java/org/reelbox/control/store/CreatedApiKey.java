package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

/**
 * A key just created: the only time its plaintext exists outside the client that holds it.
 *
 * @param key the stored key
 * @param plaintext the key to hand to the user: {@code rbx_} and 43 base64url characters; the store
 *     keeps only its SHA-256, so it cannot be shown again
 */
public record CreatedApiKey(ApiKey key, String plaintext) {
  public CreatedApiKey {
    requireNonNull(key, "key");
    requireNonNull(plaintext, "plaintext");
  }

  /** Leaves the plaintext out, so that logging this record can never leak the key. */
  @Override
  public String toString() {
    return "CreatedApiKey[key=" + key + ", plaintext=<redacted>]";
  }
}
