package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.reelbox.control.pipeline.PlannedNode;

/**
 * A job as its DAG: the plan's nodes and the tasks made so far, for the admin's job view and the
 * progress events.
 *
 * @param job the job
 * @param nodes the plan's nodes, stage by stage; empty when the profile no longer plans (it was
 *     removed or changed since the job started)
 * @param tasks the job's tasks in plan order
 */
public record JobDetail(Job job, List<PlannedNode> nodes, List<TaskRecord> tasks) {
  public JobDetail {
    requireNonNull(job, "job");
    nodes = List.copyOf(nodes);
    tasks = List.copyOf(tasks);
  }

  /**
   * The plan node a task belongs to: its id up to the first {@code /} ({@code encode/c0003/720p} →
   * {@code encode}; the early package {@code package/early} → {@code package}).
   */
  public static String nodeOf(String taskId) {
    int slash = taskId.indexOf('/');
    return slash < 0 ? taskId : taskId.substring(0, slash);
  }
}
