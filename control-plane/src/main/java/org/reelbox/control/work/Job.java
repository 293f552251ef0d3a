package org.reelbox.control.work;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.reelbox.control.store.VideoId;

/**
 * One transcode of one video: a row of {@code jobs}.
 *
 * @param id the job id
 * @param videoId the video
 * @param ownerId the video's owner, for fair share
 * @param profile the pipeline profile's name
 * @param planOptions the creator's plan options, JSON
 * @param state where the job is
 * @param priority higher first
 * @param errorCode the failing task's code when FAILED
 * @param errorMessage the failing task's message when FAILED
 * @param createdAt when the job was created
 */
public record Job(
    long id,
    VideoId videoId,
    long ownerId,
    String profile,
    String planOptions,
    JobState state,
    int priority,
    String errorCode,
    String errorMessage,
    Instant createdAt) {
  public Job {
    requireNonNull(videoId, "videoId");
    requireNonNull(profile, "profile");
    requireNonNull(planOptions, "planOptions");
    requireNonNull(state, "state");
    requireNonNull(createdAt, "createdAt");
  }
}
