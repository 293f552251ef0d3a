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
 * @param fuseKey tasks of one job with the same key may be claimed together and run as one process
 *     (the other renditions of one chunk's encode: one decode, see {@link JobFlow#fuseKey}); null
 *     for a task that is always claimed alone
 */
public record NewTask(
    String taskId,
    int seq,
    TaskType type,
    int stage,
    List<String> dependsOn,
    String input,
    long claimRank,
    String fuseKey) {
  public NewTask {
    requireNonNull(taskId, "taskId");
    requireNonNull(type, "type");
    dependsOn = List.copyOf(dependsOn);
    if (claimRank < 0) {
      throw new IllegalArgumentException("claimRank must not be negative, got " + claimRank);
    }
    if (fuseKey != null && (fuseKey.isEmpty() || fuseKey.length() > 128)) {
      throw new IllegalArgumentException(
          "fuseKey must be null or 1 to 128 characters, got \"" + fuseKey + "\"");
    }
  }

  /** A task that is never fused. */
  public NewTask(
      String taskId,
      int seq,
      TaskType type,
      int stage,
      List<String> dependsOn,
      String input,
      long claimRank) {
    this(taskId, seq, type, stage, dependsOn, input, claimRank, null);
  }

  /** A task with claim rank 0, never fused. */
  public NewTask(
      String taskId, int seq, TaskType type, int stage, List<String> dependsOn, String input) {
    this(taskId, seq, type, stage, dependsOn, input, 0, null);
  }
}
