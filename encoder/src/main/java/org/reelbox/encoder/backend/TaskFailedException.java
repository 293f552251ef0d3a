package org.reelbox.encoder.backend;

import static java.util.Objects.requireNonNull;

import org.reelbox.common.work.FailureCode;
import org.reelbox.common.work.TaskFailure;

/**
 * A task failed for a reason with a code. The message is shown to admins and creators: say what is
 * wrong with the input or the run, without local paths or secrets.
 */
public final class TaskFailedException extends Exception {
  private final FailureCode code;
  private final boolean recoverable;

  public TaskFailedException(FailureCode code, String message) {
    this(code, message, code.recoverable(), null);
  }

  public TaskFailedException(FailureCode code, String message, Throwable cause) {
    this(code, message, code.recoverable(), cause);
  }

  public TaskFailedException(
      FailureCode code, String message, boolean recoverable, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.code = requireNonNull(code, "code");
    this.recoverable = recoverable;
  }

  public FailureCode code() {
    return code;
  }

  public boolean recoverable() {
    return recoverable;
  }

  /** The wire report. */
  public TaskFailure toFailure() {
    return new TaskFailure(code, getMessage(), recoverable);
  }
}
