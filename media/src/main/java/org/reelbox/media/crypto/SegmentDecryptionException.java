package org.reelbox.media.crypto;

/**
 * Ciphertext that {@link HlsAes128} cannot decrypt: its length is not a whole number of 16-byte
 * blocks, or its PKCS7 padding is wrong, which is what a wrong key or IV, or bytes that were never
 * encrypted with AES-128-CBC, most often look like.
 */
public final class SegmentDecryptionException extends Exception {
  private static final long serialVersionUID = 1L;

  public SegmentDecryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
