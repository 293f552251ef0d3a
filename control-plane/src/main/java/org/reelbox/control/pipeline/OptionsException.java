package org.reelbox.control.pipeline;

import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;

/**
 * A creator's per-video {@link PlanOptions} do not fit the chosen profile: an unknown rendition, a
 * watermark the profile has no node for, a thumbnail key that is not an image. The message names
 * the option and is safe to show to the creator.
 */
public final class OptionsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OptionsException(String message) {
    super(message);
  }

  /** The API answer: 400 {@link ErrorCode#VALIDATION_FAILED} with this message. */
  public ApiException toApiException() {
    return new ApiException(ErrorCode.VALIDATION_FAILED, getMessage(), this);
  }
}
