package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * The body of {@code POST /internal/work/leases/{leaseId}/fail}.
 *
 * @param code why
 * @param message for people (admins, creators): what went wrong, without paths or secrets; at most
 *     {@link WorkProtocol#MAX_MESSAGE_LENGTH} characters
 * @param recoverable whether a retry may succeed; usually {@code code.recoverable()}
 */
public record TaskFailure(FailureCode code, String message, boolean recoverable) {
  public TaskFailure {
    requireNonNull(code, "code");
    requireNonNull(message, "message");
    if (message.length() > WorkProtocol.MAX_MESSAGE_LENGTH) {
      message = message.substring(0, WorkProtocol.MAX_MESSAGE_LENGTH - 1) + "…";
    }
  }

  public static TaskFailure of(FailureCode code, String message) {
    return new TaskFailure(code, message, code.recoverable());
  }
}
