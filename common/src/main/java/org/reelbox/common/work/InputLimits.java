package org.reelbox.common.work;

/**
 * What inspect accepts; anything outside fails the job with a non-recoverable code.
 *
 * @param minSide the shortest picture side, in pixels ({@link FailureCode#RESOLUTION_OUT_OF_RANGE})
 * @param maxSide the longest picture side, in pixels (same code)
 * @param maxDurationSeconds the longest duration ({@link FailureCode#DURATION_TOO_LONG})
 * @param maxStreams the most streams of any kind in the container ({@link
 *     FailureCode#TOO_MANY_STREAMS})
 */
public record InputLimits(int minSide, int maxSide, long maxDurationSeconds, int maxStreams) {
  public static InputLimits defaults() {
    return new InputLimits(64, 7680, 6 * 3600, 8);
  }
}
