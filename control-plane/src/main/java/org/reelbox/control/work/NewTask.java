package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.reelbox.common.work.TaskType;

/**
 * A task to insert into a job.
 *
 * @param taskId the plan's task id
 * @param seq its place in the plan's order
 * @param type what a worker runs
 * @param stage the plan stage
 * @param dependsOn the task ids it needs
 * @param input its input record as JSON when every dependency has succeeded (it is inserted
 *     QUEUED), or null (it is inserted WAITING)
 * @param claimRank within its job, lower is claimed first among tasks of the same stage (encode
 *     tasks: the rendition's pixels × frames per second, so the cheapest rendition completes
 *     first); 0 for the others
 */
public record NewTask(
    String taskId,
    int seq,
    TaskType type,
    int stage,
    List<String> dependsOn,
    String input,
    long claimRank) {
  public NewTask {
    requireNonNull(taskId, "taskId");
    requireNonNull(type, "type");
    dependsOn = List.copyOf(dependsOn);
    if (claimRank < 0) {
      throw new IllegalArgumentException("claimRank must not be negative, got " + claimRank);
    }
  }

  /** A task with claim rank 0. */
  public NewTask(
      String taskId, int seq, TaskType type, int stage, List<String> dependsOn, String input) {
    this(taskId, seq, type, stage, dependsOn, input, 0);
  }
}
