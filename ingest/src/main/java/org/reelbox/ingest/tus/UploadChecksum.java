package org.reelbox.ingest.tus;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code Upload-Checksum} header (tus 1.0.0, checksum extension): the algorithm's name, a
 * space, and the Base64 digest of the request body.
 *
 * @param algorithm one of {@link #ALGORITHMS}
 * @param digest the expected digest, of the algorithm's length
 */
public record UploadChecksum(String algorithm, byte[] digest) {
  /** The algorithms supported, as advertised in {@code Tus-Checksum-Algorithm} (sha1 required). */
  public static final List<String> ALGORITHMS = List.of("sha1", "md5", "sha256");

  private static final Map<String, String> JCA_NAMES =
      Map.of("sha1", "SHA-1", "md5", "MD5", "sha256", "SHA-256");
  private static final Map<String, Integer> LENGTHS = Map.of("sha1", 20, "md5", 16, "sha256", 32);

  public UploadChecksum {
    requireNonNull(algorithm, "algorithm");
    digest = requireNonNull(digest, "digest").clone();
    if (!LENGTHS.containsKey(algorithm) || LENGTHS.get(algorithm) != digest.length) {
      throw new IllegalArgumentException("bad " + algorithm + " digest of " + digest.length);
    }
  }

  /**
   * Parses the header.
   *
   * @throws TusException {@link TusError#UNSUPPORTED_CHECKSUM_ALGORITHM} or {@link
   *     TusError#INVALID_CHECKSUM} (both 400)
   */
  public static UploadChecksum parse(String header) {
    requireNonNull(header, "header");
    int space = header.indexOf(' ');
    if (space <= 0 || header.indexOf(' ', space + 1) >= 0) {
      throw TusError.INVALID_CHECKSUM.exception();
    }
    String algorithm = header.substring(0, space);
    if (!LENGTHS.containsKey(algorithm)) {
      throw TusError.UNSUPPORTED_CHECKSUM_ALGORITHM.exception();
    }
    byte[] digest;
    try {
      digest = Base64.getDecoder().decode(header.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw TusError.INVALID_CHECKSUM.exception("the digest is not valid Base64");
    }
    if (digest.length != LENGTHS.get(algorithm)) {
      throw TusError.INVALID_CHECKSUM.exception(
          "a " + algorithm + " digest is " + LENGTHS.get(algorithm) + " bytes");
    }
    return new UploadChecksum(algorithm, digest);
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** A fresh digest of this algorithm. */
  public MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(JCA_NAMES.get(algorithm));
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime provides MD5, SHA-1 and SHA-256.
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  /** Whether {@code actual} is the expected digest; compared in constant time. */
  public boolean matches(byte[] actual) {
    return MessageDigest.isEqual(digest, actual);
  }
}
