package org.reelbox.common.error;

import static java.util.Objects.requireNonNull;

/**
 * A failure that an API answers as {@code {"error": code, "message": message}} with the code's HTTP
 * status. The message is shown to clients: never put a secret, token or internal path in it.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ApiException(ErrorCode code, String message) {
    super(requireNonNull(message, "message"));
    this.code = requireNonNull(code, "code");
  }

  public ApiException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.code = requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  public int httpStatus() {
    return code.httpStatus();
  }

  public ErrorBody body() {
    return new ErrorBody(code.name(), getMessage());
  }
}
