package org.reelbox.control.store;

import static java.util.Objects.requireNonNull;

/**
 * What {@link MetadataStore#transitionVideo} did.
 *
 * @param outcome which of the four things happened
 * @param video the video as it is after the call; null only when the outcome is {@link
 *     Outcome#NOT_FOUND}
 */
public record TransitionResult(Outcome outcome, Video video) {
  /** The four outcomes of a compare-and-set on a video's state. */
  public enum Outcome {
    /** This call moved the video to the target state. */
    APPLIED,
    /**
     * The video was already in the target state, so nothing changed: a duplicate or a lost race
     * against an identical request. Callers treat it as success; details this call carried (size,
     * checksum, error code) were not written.
     */
    ALREADY_IN_STATE,
    /** The video was in neither an expected state nor the target state; nothing changed. */
    REFUSED,
    /** No video has that id. */
    NOT_FOUND
  }

  public TransitionResult {
    requireNonNull(outcome, "outcome");
    if ((outcome == Outcome.NOT_FOUND) != (video == null)) {
      throw new IllegalArgumentException(
          "video must be null exactly when the outcome is NOT_FOUND; outcome " + outcome);
    }
  }

  public static TransitionResult applied(Video video) {
    return new TransitionResult(Outcome.APPLIED, requireNonNull(video, "video"));
  }

  public static TransitionResult notFound() {
    return new TransitionResult(Outcome.NOT_FOUND, null);
  }

  /**
   * The outcome of a transition that did not apply, judged from the video's current state: already
   * there, or somewhere else.
   */
  public static TransitionResult notApplied(VideoTransition transition, Video current) {
    requireNonNull(transition, "transition");
    requireNonNull(current, "current");
    return new TransitionResult(
        current.state() == transition.to() ? Outcome.ALREADY_IN_STATE : Outcome.REFUSED, current);
  }

  /** Whether the video is now in the target state, by this call or an earlier one. */
  public boolean succeeded() {
    return outcome == Outcome.APPLIED || outcome == Outcome.ALREADY_IN_STATE;
  }
}
