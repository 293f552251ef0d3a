package org.reelbox.control.work;

/**
 * Where a task is. Stored by name in {@code tasks.state}.
 *
 * <pre>
 * WAITING ──▶ QUEUED ──▶ RUNNING ──▶ SUCCEEDED
 *                ▲          │ ├────▶ FAILED (non-recoverable, or past the retry limit)
 *                └──────────┘ │      (recoverable failure with back-off, lease expired, worker left)
 * any but SUCCEEDED/FAILED ───┴────▶ CANCELLED (the job failed)
 * </pre>
 */
public enum TaskState {
  /** A dependency has not succeeded yet. */
  WAITING,
  /** Ready: claimable once its {@code nextAttemptAt} has passed. */
  QUEUED,
  /** Leased to a worker. */
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED
}
