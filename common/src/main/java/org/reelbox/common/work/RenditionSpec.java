package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * One rung of the ladder as the planner fitted it to the source.
 *
 * @param name {@code 720p}; {@code [a-z0-9]{1,16}}
 * @param width output width, even
 * @param height output height, even
 * @param frameRateNum output frame rate numerator
 * @param frameRateDen output frame rate denominator
 * @param frameStep keep every n-th source frame (1: all) to reach that frame rate
 * @param videoBitrateBps target video bitrate
 * @param profile H.264 profile: {@code high}, {@code main} or {@code baseline}
 * @param level H.264 level, {@code "3.1"}, {@code "4.1"}, …
 */
public record RenditionSpec(
    String name,
    int width,
    int height,
    int frameRateNum,
    int frameRateDen,
    int frameStep,
    long videoBitrateBps,
    String profile,
    String level) {
  public RenditionSpec {
    requireNonNull(name, "name");
    requireNonNull(profile, "profile");
    requireNonNull(level, "level");
  }
}
