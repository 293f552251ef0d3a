package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * What the inspect task found out about the original, as far as the plan needs it.
 *
 * @param width displayed width in pixels, after rotation, 2 to {@value #MAX_SIDE}
 * @param height displayed height in pixels, after rotation, 2 to {@value #MAX_SIDE}
 * @param frameRate the average frame rate
 * @param durationUs the duration, positive
 */
public record SourceInfo(int width, int height, FrameRate frameRate, long durationUs) {
  public static final int MAX_SIDE = 16_384;

  public SourceInfo {
    if (width < 2 || width > MAX_SIDE || height < 2 || height > MAX_SIDE) {
      throw new IllegalArgumentException(
          "source size must be 2 to " + MAX_SIDE + " pixels a side, got " + width + "x" + height);
    }
    requireNonNull(frameRate, "frameRate");
    if (durationUs <= 0) {
      throw new IllegalArgumentException("durationUs must be positive, got " + durationUs);
    }
  }
}
