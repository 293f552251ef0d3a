package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A {@link Plan} expanded for one source: the ladder it gets and every task of the job.
 *
 * @param plan the plan
 * @param source what inspect reported
 * @param chunkCount how many chunks split produced
 * @param ladder the renditions, in profile order
 * @param tasks stage by stage, node by node in profile order, then chunk, then rendition; every
 *     task comes after the tasks it depends on
 */
public record ExpandedPlan(
    Plan plan, SourceInfo source, int chunkCount, List<Rendition> ladder, List<Task> tasks) {
  public ExpandedPlan {
    requireNonNull(plan, "plan");
    requireNonNull(source, "source");
    ladder = List.copyOf(ladder);
    tasks = List.copyOf(tasks);
  }

  /** The task called {@code id}. */
  public Optional<Task> task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
  }
}
