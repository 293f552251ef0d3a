package org.reelbox.encoder.backend;

import java.time.Instant;

/**
 * What a running task may ask of the worker: whether it should stop (its lease was lost, the worker
 * is shutting down) and by when it must be done.
 */
public interface TaskControl {
  /** The wall-clock limit: past it the task is killed and fails with {@code TIMEOUT}. */
  Instant deadline();

  /** Whether the task should stop now. */
  boolean isCancelled();

  /**
   * Throws when the task should stop.
   *
   * @throws TaskFailedException {@code WORKER_SHUTDOWN} when cancelled, {@code TIMEOUT} past the
   *     deadline
   */
  void checkNotCancelled() throws TaskFailedException;
}
