package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How far a job is, stage by stage: what the video event stream sends as {@code event: progress}
 * (docs/web-ui.md, "Admin APIs the pages use").
 *
 * @param jobState the job's state
 * @param tasksDone tasks that succeeded
 * @param tasksTotal tasks known so far
 * @param stages every stage of the plan (and any stage only the task table knows), in order
 */
public record StagedProgress(
    JobState jobState, int tasksDone, int tasksTotal, List<StageProgress> stages) {
  public StagedProgress {
    requireNonNull(jobState, "jobState");
    stages = List.copyOf(stages);
  }
}
