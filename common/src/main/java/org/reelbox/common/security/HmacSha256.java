package org.reelbox.common.security;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 with one {@link Mac} per thread. */
final class HmacSha256 {
  static final String ALGORITHM = "HmacSHA256";
  static final int MAC_LENGTH = 32;

  // A Mac is stateful and not thread-safe, and Mac.getInstance walks the provider list on every
  // call; one per thread, re-keyed on each use (init is cheap for HMAC), avoids both problems.
  private static final ThreadLocal<Mac> MAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance(ALGORITHM);
            } catch (NoSuchAlgorithmException e) {
              // Every Java SE runtime must provide HmacSHA256.
              throw new IllegalStateException(ALGORITHM + " is not available", e);
            }
          });

  private HmacSha256() {}

  static SecretKeySpec key(byte[] secret) {
    return new SecretKeySpec(secret, ALGORITHM);
  }

  static byte[] mac(SecretKeySpec key, byte[] data) {
    Mac mac = MAC.get();
    try {
      mac.init(key);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    }
    return mac.doFinal(data);
  }

  /** HMAC-SHA256 with raw key bytes, for deriving keys from the cluster secret. */
  static byte[] mac(byte[] key, byte[] data) {
    return mac(key(key), data);
  }
}
