package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.reelbox.control.store.VideoId;

/**
 * One row of the admin's job list: a job with its video's title, its owner's name and how far it
 * is.
 *
 * @param finishedAt when the job succeeded or failed; null while it runs
 * @param tasksDone tasks that succeeded
 * @param tasksTotal tasks known so far (the total grows once split has said how many chunks)
 */
public record JobSummary(
    VideoId videoId,
    String title,
    String owner,
    String profile,
    JobState state,
    Instant createdAt,
    Instant finishedAt,
    int tasksDone,
    int tasksTotal) {
  public JobSummary {
    requireNonNull(videoId, "videoId");
    requireNonNull(title, "title");
    requireNonNull(owner, "owner");
    requireNonNull(profile, "profile");
    requireNonNull(state, "state");
    requireNonNull(createdAt, "createdAt");
  }
}
