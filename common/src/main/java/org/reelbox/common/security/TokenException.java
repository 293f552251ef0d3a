package org.reelbox.common.security;

import static java.util.Objects.requireNonNull;

import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;

/**
 * A token was refused. The message is {@link TokenError#message()}: it never contains the token, so
 * this exception is safe to log.
 */
public final class TokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TokenError error;

  public TokenException(TokenError error) {
    super(requireNonNull(error, "error").message());
    this.error = error;
  }

  public TokenError error() {
    return error;
  }

  /**
   * The API answer for this failure: {@link ErrorCode#TOKEN_EXPIRED} (410) or {@link
   * ErrorCode#TOKEN_INVALID} (403). The client sees only "expired" or "invalid": which check failed
   * stays in this exception (the cause) for the server's logs, so a prober learns nothing about
   * which part of a forged token was wrong.
   */
  public ApiException toApiException() {
    String clientMessage =
        error.errorCode() == ErrorCode.TOKEN_EXPIRED ? "token has expired" : "token is invalid";
    return new ApiException(error.errorCode(), clientMessage, this);
  }
}
