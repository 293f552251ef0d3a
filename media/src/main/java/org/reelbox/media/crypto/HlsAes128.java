package org.reelbox.media.crypto;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HLS segment encryption with {@code METHOD=AES-128} (RFC 8216 §4.3.2.4, §5.2): each segment is
 * encrypted whole with AES-128 in CBC mode with PKCS7 padding, under a 16-byte key that the
 * playlist's {@code EXT-X-KEY} URI serves, and an IV that is either the key's explicit {@code IV}
 * or, without one, the segment's media sequence number ({@link #ivForMediaSequence(long)}). See
 * {@link org.reelbox.media.hls.EncryptionKey} for the playlist side.
 *
 * <p>Streams are processed in 64 KiB steps, so memory does not grow with the segment. PKCS7 always
 * pads, by 1 to 16 bytes: a segment of {@code n} bytes encrypts to {@link #encryptedLength(long) (n
 * / 16 + 1) * 16}.
 *
 * <p>Keys are never put in exception messages; callers should keep them out of logs too.
 */
public final class HlsAes128 {

  /** AES-128: a 16-byte key. */
  public static final int KEY_BYTES = 16;

  /** CBC over AES: a 16-byte IV, one block. */
  public static final int IV_BYTES = 16;

  // PKCS5Padding in the JCE is PKCS7 for 16-byte blocks; every Java platform must provide it.
  private static final String TRANSFORMATION = "AES/CBC/PKCS5Padding";
  private static final int CHUNK = 64 * 1024;

  private static final class DefaultRandom {
    static final SecureRandom INSTANCE = new SecureRandom();
  }

  private HlsAes128() {}

  /** A new random key, from a shared {@link SecureRandom}. */
  public static byte[] generateKey() {
    return generateKey(DefaultRandom.INSTANCE);
  }

  /** A new random key from {@code random}. */
  public static byte[] generateKey(SecureRandom random) {
    return randomBytes(random, KEY_BYTES);
  }

  /**
   * A new random IV, from a shared {@link SecureRandom}. An explicit random IV in the playlist
   * applies to every segment; {@link #ivForMediaSequence(long)} gives each segment its own.
   */
  public static byte[] generateIv() {
    return generateIv(DefaultRandom.INSTANCE);
  }

  /** A new random IV from {@code random}. */
  public static byte[] generateIv(SecureRandom random) {
    return randomBytes(random, IV_BYTES);
  }

  /**
   * The IV of a segment when {@code EXT-X-KEY} has no IV attribute (RFC 8216 §5.2): "the Media
   * Sequence Number is to be used as the IV ... as a big-endian binary representation into a
   * 16-octet (128-bit) buffer", zero-padded on the left.
   */
  public static byte[] ivForMediaSequence(long mediaSequenceNumber) {
    checkArgument(
        mediaSequenceNumber >= 0,
        "mediaSequenceNumber must not be negative: %s",
        mediaSequenceNumber);
    byte[] iv = new byte[IV_BYTES];
    for (int i = 0; i < 8; i++) {
      iv[IV_BYTES - 1 - i] = (byte) (mediaSequenceNumber >>> (8 * i));
    }
    return iv;
  }

  /** The size of a segment of {@code plainLength} bytes once encrypted: PKCS7 adds 1 to 16. */
  public static long encryptedLength(long plainLength) {
    checkArgument(plainLength >= 0, "plainLength must not be negative: %s", plainLength);
    return (plainLength / 16 + 1) * 16;
  }

  /**
   * Encrypts {@code in} to its end into {@code out}. Closes neither.
   *
   * @return the bytes written, {@link #encryptedLength(long)} of the bytes read
   */
  public static long encrypt(InputStream in, OutputStream out, byte[] key, byte[] iv)
      throws IOException {
    Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv);
    try {
      return run(cipher, in, out);
    } catch (IllegalBlockSizeException | BadPaddingException e) {
      throw new IllegalStateException("encryption with padding cannot fail so", e);
    }
  }

  /**
   * Decrypts {@code in} to its end into {@code out}. Closes neither. On a bad key or IV the output
   * may already hold all but the last block of garbage: decrypt to a buffer or a temporary object
   * when that matters.
   *
   * @return the bytes written
   * @throws SegmentDecryptionException if the input is not whole blocks or its padding is wrong
   */
  public static long decrypt(InputStream in, OutputStream out, byte[] key, byte[] iv)
      throws IOException, SegmentDecryptionException {
    Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, iv);
    try {
      return run(cipher, in, out);
    } catch (IllegalBlockSizeException e) {
      throw new SegmentDecryptionException("ciphertext is not a whole number of 16-byte blocks", e);
    } catch (BadPaddingException e) {
      throw new SegmentDecryptionException(
          "bad PKCS7 padding: wrong key or IV, or not an AES-128 segment", e);
    }
  }

  /** Encrypts a whole segment held in memory. */
  public static byte[] encrypt(byte[] segment, byte[] key, byte[] iv) {
    requireNonNull(segment, "segment");
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) encryptedLength(segment.length));
    try {
      encrypt(new ByteArrayInputStream(segment), out, key, iv);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // byte array streams do not fail
    }
    return out.toByteArray();
  }

  /** Decrypts a whole segment held in memory. */
  public static byte[] decrypt(byte[] encrypted, byte[] key, byte[] iv)
      throws SegmentDecryptionException {
    requireNonNull(encrypted, "encrypted");
    ByteArrayOutputStream out = new ByteArrayOutputStream(encrypted.length);
    try {
      decrypt(new ByteArrayInputStream(encrypted), out, key, iv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static long run(Cipher cipher, InputStream in, OutputStream out)
      throws IOException, IllegalBlockSizeException, BadPaddingException {
    requireNonNull(in, "in");
    requireNonNull(out, "out");
    byte[] input = new byte[CHUNK];
    byte[] output = new byte[CHUNK + 2 * IV_BYTES]; // update() may release one held-back block
    long written = 0;
    int n;
    while ((n = in.read(input)) != -1) {
      int produced;
      try {
        produced = cipher.update(input, 0, n, output);
      } catch (javax.crypto.ShortBufferException e) {
        throw new IllegalStateException("output buffer sized for one chunk and a block", e);
      }
      out.write(output, 0, produced);
      written += produced;
    }
    byte[] last = cipher.doFinal();
    out.write(last);
    return written + last.length;
  }

  private static Cipher cipher(int mode, byte[] key, byte[] iv) {
    requireNonNull(key, "key");
    requireNonNull(iv, "iv");
    checkArgument(key.length == KEY_BYTES, "key must be 16 bytes, got %s", key.length);
    checkArgument(iv.length == IV_BYTES, "iv must be 16 bytes, got %s", iv.length);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(TRANSFORMATION + " is not available", e);
    }
  }

  private static byte[] randomBytes(SecureRandom random, int count) {
    byte[] bytes = new byte[count];
    requireNonNull(random, "random").nextBytes(bytes);
    return bytes;
  }

  private static void checkArgument(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }
}
