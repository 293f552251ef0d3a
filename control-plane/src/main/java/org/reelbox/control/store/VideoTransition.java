package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.reelbox.control.store.internal.Fields;

/**
 * A request to move a video from one of the {@code from} states to {@code to}, applied by {@link
 * MetadataStore#transitionVideo} as a compare-and-set on the state.
 *
 * <p>Every {@code from → to} must be an edge of the state machine ({@link
 * VideoState#canTransitionTo}); the constructor refuses anything else, so an illegal transition can
 * never be asked for. Use the factories for the usual edges.
 *
 * @param videoId the video
 * @param from the states the caller expects the video to be in; not empty
 * @param to the state to move it to
 * @param errorCode why it failed: required when {@code to} is FAILED, null otherwise
 * @param sizeBytes the original's size to record; null leaves the stored value as it is
 * @param sha256 the original's SHA-256 (lower-case hex) to record; null leaves it as it is
 * @param durationMs the duration to record; null leaves it as it is
 * @param errorMessage for people, why it failed: only with {@code to} FAILED, and optional then
 */
public record VideoTransition(
    VideoId videoId,
    Set<VideoState> from,
    VideoState to,
    String errorCode,
    Long sizeBytes,
    String sha256,
    Long durationMs,
    String errorMessage) {
  public VideoTransition {
    requireNonNull(videoId, "videoId");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (from.isEmpty()) {
      throw new IllegalArgumentException("from must name at least one state");
    }
    // An unmodifiable EnumSet: immutable like Set.copyOf, and iterates (and prints) in state order.
    from = Collections.unmodifiableSet(EnumSet.copyOf(from));
    for (VideoState state : from) {
      if (!state.canTransitionTo(to)) {
        throw new IllegalArgumentException("illegal transition " + state + " → " + to);
      }
    }
    Fields.errorCode("errorCode", errorCode);
    if ((to == VideoState.FAILED) != (errorCode != null)) {
      throw new IllegalArgumentException(
          "errorCode is required for a transition to FAILED and only then; to "
              + to
              + ", errorCode "
              + errorCode);
    }
    Fields.nonNegative("sizeBytes", sizeBytes);
    Fields.sha256("sha256", sha256);
    Fields.nonNegative("durationMs", durationMs);
    if (errorMessage != null && to != VideoState.FAILED) {
      throw new IllegalArgumentException("errorMessage is only for a transition to FAILED");
    }
    errorMessage = Video.clipMessage(errorMessage);
  }

  /** A transition without an error message. */
  public VideoTransition(
      VideoId videoId,
      Set<VideoState> from,
      VideoState to,
      String errorCode,
      Long sizeBytes,
      String sha256,
      Long durationMs) {
    this(videoId, from, to, errorCode, sizeBytes, sha256, durationMs, null);
  }

  /** UPLOADING → UPLOADED: ingest has the whole original. */
  public static VideoTransition uploaded(VideoId videoId, long sizeBytes, String sha256) {
    requireNonNull(sha256, "sha256");
    return new VideoTransition(
        videoId, Set.of(VideoState.UPLOADING), VideoState.UPLOADED, null, sizeBytes, sha256, null);
  }

  /** UPLOADED → PROCESSING: the pipeline has started. */
  public static VideoTransition processing(VideoId videoId) {
    return new VideoTransition(
        videoId, Set.of(VideoState.UPLOADED), VideoState.PROCESSING, null, null, null, null);
  }

  /** PROCESSING → READY, recording the duration the pipeline found (null if it found none). */
  public static VideoTransition ready(VideoId videoId, Long durationMs) {
    return new VideoTransition(
        videoId, Set.of(VideoState.PROCESSING), VideoState.READY, null, null, null, durationMs);
  }

  /** Any non-terminal state → FAILED with {@code errorCode}. */
  public static VideoTransition failed(VideoId videoId, String errorCode) {
    return failed(videoId, errorCode, null);
  }

  /** Any non-terminal state → FAILED with {@code errorCode} and a message for people. */
  public static VideoTransition failed(VideoId videoId, String errorCode, String errorMessage) {
    requireNonNull(errorCode, "errorCode");
    return new VideoTransition(
        videoId,
        EnumSet.of(VideoState.UPLOADING, VideoState.UPLOADED, VideoState.PROCESSING),
        VideoState.FAILED,
        errorCode,
        null,
        null,
        null,
        errorMessage);
  }
}
