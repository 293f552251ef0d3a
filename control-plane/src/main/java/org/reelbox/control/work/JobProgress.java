package org.reelbox.control.work;

import java.util.List;

/**
 * How far a job is, for the video API. The total grows once split has said how many chunks there
 * are (the encode and package tasks exist from then on).
 *
 * @param jobState the job's state
 * @param tasksDone tasks that succeeded
 * @param tasksRunning tasks leased to workers now
 * @param tasksTotal tasks known so far
 * @param publishedRenditions the renditions an early package has published while the job runs
 *     (progressive publishing): the master playlist plays with these; empty when none was
 */
public record JobProgress(
    JobState jobState,
    int tasksDone,
    int tasksRunning,
    int tasksTotal,
    List<String> publishedRenditions) {
  public JobProgress {
    publishedRenditions = List.copyOf(publishedRenditions);
  }

  /** Whether the master playlist plays before the job is done. */
  public boolean publishedEarly() {
    return !publishedRenditions.isEmpty();
  }
}
