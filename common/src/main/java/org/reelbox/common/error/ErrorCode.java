package org.reelbox.common.error;

/**
 * Every error code that a reelbox API can answer, and its HTTP status: the one place where codes
 * map to statuses. The code is what clients switch on; the message is for people.
 *
 * <p>Protocol-specific tables (tus, pipeline) keep their own enums and map onto these when they
 * answer over HTTP.
 */
public enum ErrorCode {
  BAD_REQUEST(400),
  INVALID_JSON(400),
  VALIDATION_FAILED(400),
  UNAUTHORIZED(401),
  /** A login with a wrong username or password (which of the two is never said). */
  INVALID_CREDENTIALS(401),
  FORBIDDEN(403),
  TOKEN_INVALID(403),
  /**
   * A state-changing request made with a session cookie that is cross-site or lacks the session's
   * CSRF token.
   */
  CSRF_REJECTED(403),
  NOT_FOUND(404),
  /**
   * The video exists but has nothing to play yet: not transcoded, and its original cannot be
   * packaged just in time (not H.264/AAC in MP4). The message says why.
   */
  NOT_READY(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  TOKEN_EXPIRED(410),
  GONE(410),
  PRECONDITION_FAILED(412),
  VIDEO_TOO_LARGE(413),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  UNSUPPORTED_CONTAINER(415),
  RANGE_NOT_SATISFIABLE(416),
  TOO_MANY_REQUESTS(429),
  /** tus 1.0.0 checksum extension: the chunk does not match its {@code Upload-Checksum}. */
  CHECKSUM_MISMATCH(460),
  INTERNAL(500),
  BAD_GATEWAY(502),
  UNAVAILABLE(503),
  GATEWAY_TIMEOUT(504);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The HTTP status this code is answered with. */
  public int httpStatus() {
    return httpStatus;
  }
}
