package org.reelbox.common.security;

import org.reelbox.common.error.ErrorCode;

/**
 * Why a token was refused: the error table of the token protocol. {@link #EXPIRED} answers {@link
 * ErrorCode#TOKEN_EXPIRED} (410, so that a player knows to ask for a fresh URL); every other
 * failure answers {@link ErrorCode#TOKEN_INVALID} (403).
 *
 * <p>The messages are fixed texts that are safe to log; none of them contains the token.
 */
public enum TokenError {
  /** Too long, not two base64url parts, bad base64url, or a payload that is not valid claims. */
  MALFORMED(ErrorCode.TOKEN_INVALID, "token is malformed"),
  /** The signature does not match the payload under the key the payload names. */
  BAD_SIGNATURE(ErrorCode.TOKEN_INVALID, "token signature does not match"),
  /** The payload names a key id that the key ring does not hold (never did, or was removed). */
  UNKNOWN_KEY(ErrorCode.TOKEN_INVALID, "token is signed with an unknown key"),
  /** The token's expiry is at or before the verifier's clock. */
  EXPIRED(ErrorCode.TOKEN_EXPIRED, "token has expired"),
  /** The token is valid but was issued for another scope. */
  WRONG_SCOPE(ErrorCode.TOKEN_INVALID, "token is not valid for this scope"),
  /** The token is valid but was issued for another subject (another video). */
  WRONG_SUBJECT(ErrorCode.TOKEN_INVALID, "token is not valid for this subject");

  private final ErrorCode errorCode;
  private final String message;

  TokenError(ErrorCode errorCode, String message) {
    this.errorCode = errorCode;
    this.message = message;
  }

  /** The API error code (and so the HTTP status) this failure is answered with. */
  public ErrorCode errorCode() {
    return errorCode;
  }

  /** A fixed description, safe to log; it never contains the token. */
  public String message() {
    return message;
  }
}
