package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

/**
 * A row of the completion queue ({@code completion_events}).
 *
 * @param id its place in the queue
 * @param jobId the job
 * @param taskId the task, null for {@link Kind#JOB_CREATED}
 * @param kind what happened
 */
public record CompletionEvent(long id, long jobId, String taskId, Kind kind) {
  /** What happened. */
  public enum Kind {
    JOB_CREATED,
    TASK_SUCCEEDED,
    TASK_FAILED
  }

  public CompletionEvent {
    requireNonNull(kind, "kind");
  }
}
