package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.reelbox.common.work.TaskType;
import org.reelbox.control.store.VideoId;

/**
 * A row of {@code tasks}, with its job's video.
 *
 * @param jobId the job
 * @param videoId the job's video
 * @param taskId the plan's task id ({@code encode/c0003/720p})
 * @param seq the task's place in the plan's order
 * @param type what a worker runs
 * @param stage the plan stage
 * @param state where the task is
 * @param attempt the current or last attempt, 0 before the first claim
 * @param nextAttemptAt when a QUEUED task may be claimed
 * @param leaseId the current lease (RUNNING), or the completing lease (SUCCEEDED); else null
 * @param workerId the worker holding or last holding it
 * @param leaseExpiresAt when the lease runs out (RUNNING)
 * @param startedAt when the current or last attempt was claimed
 * @param finishedAt when it succeeded, failed or was cancelled
 * @param errorCode the last failure's code
 * @param errorMessage the last failure's message
 * @param input the input record as JSON; null while WAITING
 * @param output the output record as JSON; null until SUCCEEDED
 */
public record TaskRecord(
    long jobId,
    VideoId videoId,
    String taskId,
    int seq,
    TaskType type,
    int stage,
    TaskState state,
    int attempt,
    Instant nextAttemptAt,
    String leaseId,
    String workerId,
    Instant leaseExpiresAt,
    Instant startedAt,
    Instant finishedAt,
    String errorCode,
    String errorMessage,
    String input,
    String output) {
  public TaskRecord {
    requireNonNull(videoId, "videoId");
    requireNonNull(taskId, "taskId");
    requireNonNull(type, "type");
    requireNonNull(state, "state");
  }
}
