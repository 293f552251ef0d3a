package org.reelbox.common.security;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.reelbox.common.config.ClusterConfig;

/**
 * Authenticates service-to-service calls with the cluster secret: the caller sends {@value
 * #HEADER_NAME} with {@link #headerValue()}, the callee checks it with {@link #isValid}.
 *
 * <p>The header value is not the secret itself but base64url(HMAC-SHA256(key = the secret in UTF-8,
 * message = {@code "reelbox-cluster-auth-v1"})): the raw secret never travels (a proxy that logs
 * headers does not learn the token signing key, which {@link KeyRing#derivedFrom} derives under
 * another label), and the value is always a legal header value whatever characters the secret has.
 * Every role derives the same value from the same secret.
 *
 * <p>{@link #isValid} compares SHA-256 digests of the presented and expected values with {@link
 * MessageDigest#isEqual}: both digests are 32 bytes whatever was presented, so neither the content
 * nor the length of the expected value leaks through timing.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the secret or the header value.
 */
public final class ClusterAuth {
  /** The request header that carries the cluster credential. */
  public static final String HEADER_NAME = "X-Reelbox-Cluster-Auth";

  static final String HEADER_VALUE_LABEL = "reelbox-cluster-auth-v1";

  private final String headerValue;
  private final byte[] expectedDigest;

  private ClusterAuth(String headerValue) {
    this.headerValue = headerValue;
    this.expectedDigest = sha256(headerValue);
  }

  /**
   * The cluster auth for this secret.
   *
   * @param clusterSecret at least {@value ClusterConfig#MIN_SECRET_LENGTH} characters
   */
  public static ClusterAuth of(String clusterSecret) {
    byte[] mac =
        HmacSha256.mac(
            requireClusterSecret(clusterSecret).getBytes(StandardCharsets.UTF_8),
            HEADER_VALUE_LABEL.getBytes(StandardCharsets.UTF_8));
    return new ClusterAuth(Base64.getUrlEncoder().withoutPadding().encodeToString(mac));
  }

  /** {@value #HEADER_NAME}. */
  public String headerName() {
    return HEADER_NAME;
  }

  /** The value to send in {@link #headerName()}. A credential: never log it. */
  public String headerValue() {
    return headerValue;
  }

  /**
   * Whether a request's header value is the cluster credential, compared in constant time.
   *
   * @param presentedHeaderValue the value of {@value #HEADER_NAME}, or {@code null} when the
   *     request has none
   */
  public boolean isValid(String presentedHeaderValue) {
    if (presentedHeaderValue == null) {
      return false;
    }
    return MessageDigest.isEqual(expectedDigest, sha256(presentedHeaderValue));
  }

  /** Sets {@value #HEADER_NAME} on a JDK HttpClient request, replacing any value already set. */
  public void apply(HttpRequest.Builder request) {
    requireNonNull(request, "request").setHeader(HEADER_NAME, headerValue);
  }

  @Override
  public String toString() {
    return "ClusterAuth[header=" + HEADER_NAME + ", value=<redacted>]";
  }

  /** Checks a cluster secret the way {@link ClusterConfig} does, never echoing it. */
  static String requireClusterSecret(String clusterSecret) {
    requireNonNull(clusterSecret, "clusterSecret");
    if (clusterSecret.length() < ClusterConfig.MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(
          "clusterSecret must be at least "
              + ClusterConfig.MIN_SECRET_LENGTH
              + " characters, got "
              + clusterSecret.length());
    }
    return clusterSecret;
  }

  private static byte[] sha256(String value) {
    try {
      // MessageDigest is not thread-safe, and getInstance is cheap next to a network request.
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
