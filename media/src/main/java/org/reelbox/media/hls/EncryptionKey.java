package org.reelbox.media.hls;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.hls.Checks.checkArgument;
import static org.reelbox.media.hls.Checks.checkQuotedString;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The {@code EXT-X-KEY} of a media playlist with {@code METHOD=AES-128} (RFC 8216 §4.3.2.4): every
 * segment is encrypted whole with AES-128 in CBC mode and PKCS7 padding, with the key found at
 * {@link #uri()}.
 *
 * <p>The IV is optional. With an IV every segment is decrypted with it; without one, RFC 8216
 * §4.3.2.4 and §5.2 make each segment's own media sequence number its IV ({@link
 * #ivForSegment(long)}). A single playlist-wide key is all this model holds: other methods
 * (SAMPLE-AES) and key rotation are not supported.
 *
 * @param uri the key's URI, written as a quoted-string
 * @param iv the 128-bit IV, as an unsigned number below 2^128, if the playlist gives one
 */
public record EncryptionKey(String uri, Optional<BigInteger> iv) {

  /** The only METHOD this model writes or reads (besides NONE, which means no key). */
  public static final String METHOD_AES_128 = "AES-128";

  private static final int IV_BYTES = 16;
  private static final BigInteger IV_LIMIT = BigInteger.ONE.shiftLeft(8 * IV_BYTES);

  public EncryptionKey {
    checkQuotedString("uri", uri);
    requireNonNull(iv, "iv");
    iv.ifPresent(
        value ->
            checkArgument(
                value.signum() >= 0 && value.compareTo(IV_LIMIT) < 0,
                "iv must be a 128-bit unsigned value: %s",
                value));
  }

  /** A key whose IV is each segment's media sequence number. */
  public static EncryptionKey aes128(String uri) {
    return new EncryptionKey(uri, Optional.empty());
  }

  /** A key with an explicit IV of exactly 16 bytes, big-endian. */
  public static EncryptionKey aes128(String uri, byte[] iv) {
    requireNonNull(iv, "iv");
    checkArgument(iv.length == IV_BYTES, "iv must be 16 bytes, got %s", iv.length);
    return new EncryptionKey(uri, Optional.of(new BigInteger(/* signum= */ 1, iv)));
  }

  /**
   * The IV that decrypts the segment with the given media sequence number: the explicit IV if there
   * is one, else (RFC 8216 §5.2) the sequence number big-endian in 16 bytes, zero-padded on the
   * left.
   */
  public byte[] ivForSegment(long mediaSequenceNumber) {
    checkArgument(
        mediaSequenceNumber >= 0,
        "mediaSequenceNumber must not be negative: %s",
        mediaSequenceNumber);
    return toBytes(iv.orElse(BigInteger.valueOf(mediaSequenceNumber)));
  }

  private static byte[] toBytes(BigInteger value) {
    byte[] magnitude = value.toByteArray(); // may carry a leading sign byte of 0
    byte[] out = new byte[IV_BYTES];
    int length = Math.min(magnitude.length, IV_BYTES);
    System.arraycopy(magnitude, magnitude.length - length, out, IV_BYTES - length, length);
    return out;
  }
}
