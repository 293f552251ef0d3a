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
 */
public record NewTask(
    String taskId, int seq, TaskType type, int stage, List<String> dependsOn, String input) {
  public NewTask {
    requireNonNull(taskId, "taskId");
    requireNonNull(type, "type");
    dependsOn = List.copyOf(dependsOn);
  }
}
