package org.reelbox.common.error;

import static java.util.Objects.requireNonNull;

import org.reelbox.common.json.Json;

/** The JSON body of every error answer: {@code {"error": CODE, "message": "..."}}. */
public record ErrorBody(String error, String message) {
  public ErrorBody {
    requireNonNull(error, "error");
    requireNonNull(message, "message");
  }

  public static ErrorBody of(ErrorCode code, String message) {
    return new ErrorBody(code.name(), message);
  }

  /** The body as compact JSON text. */
  public String toJson() {
    return Json.write(this);
  }
}
