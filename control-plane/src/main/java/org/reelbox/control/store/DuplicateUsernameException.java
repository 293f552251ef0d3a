package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;

/** Thrown by {@link MetadataStore#createUser} when the username is taken. */
public final class DuplicateUsernameException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String username;

  public DuplicateUsernameException(String username, Throwable cause) {
    super("username '" + requireNonNull(username, "username") + "' is taken", cause);
    this.username = username;
  }

  public String username() {
    return username;
  }

  /** The API's answer: 409 {@link ErrorCode#CONFLICT}. */
  public ApiException toApiException() {
    return new ApiException(ErrorCode.CONFLICT, getMessage(), this);
  }
}
