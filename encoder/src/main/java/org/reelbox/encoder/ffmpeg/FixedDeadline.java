package org.reelbox.encoder.ffmpeg;

import java.time.Duration;
import java.time.Instant;
import org.reelbox.common.work.FailureCode;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

/** A {@link TaskControl} for work outside a task (hardware detection): a deadline, no cancel. */
record FixedDeadline(Instant deadline) implements TaskControl {
  static FixedDeadline in(Duration duration) {
    return new FixedDeadline(Instant.now().plus(duration));
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public void checkNotCancelled() throws TaskFailedException {
    if (!Instant.now().isBefore(deadline)) {
      throw new TaskFailedException(FailureCode.TIMEOUT, "past the deadline");
    }
  }
}
