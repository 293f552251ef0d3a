package org.reelbox.ingest.tus;

import static java.util.Objects.requireNonNull;

import org.reelbox.common.error.ApiException;

/** A tus request is refused; see {@link TusError}. Safe to log: it quotes no request header. */
public final class TusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TusError error;

  TusException(TusError error, String detail) {
    super(
        detail == null
            ? requireNonNull(error, "error").message()
            : error.message() + ": " + detail);
    this.error = error;
  }

  public TusError error() {
    return error;
  }

  /** The API answer: {@code {"error": CODE, "message": …}} with the code's status. */
  public ApiException toApiException() {
    return new ApiException(error.code(), getMessage(), this);
  }
}
