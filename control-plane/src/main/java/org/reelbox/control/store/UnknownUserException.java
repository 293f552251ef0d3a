package org.reelbox.control.store;

import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;

/** Thrown when a write names a user that does not exist (an API key's user, a video's owner). */
public final class UnknownUserException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long userId;

  public UnknownUserException(long userId, Throwable cause) {
    super("no user with id " + userId, cause);
    this.userId = userId;
  }

  public long userId() {
    return userId;
  }

  /** The API's answer: 404 {@link ErrorCode#NOT_FOUND}. */
  public ApiException toApiException() {
    return new ApiException(ErrorCode.NOT_FOUND, getMessage(), this);
  }
}
