package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * One rendition as the encoder makes it for a given source: a {@link Rung} resolved against the
 * source's shape and frame rate.
 *
 * @param name the rung's name (or {@code NNNp} for the one rung a small source gets)
 * @param width even; the source scaled into the rung's 16:9 box, aspect ratio kept
 * @param height even
 * @param frameRate the source's, or a whole fraction of it when the level requires
 * @param videoBitrateBps the target video bitrate
 * @param profile High above 480p, Main at and below ({@link H264Profile#forHeight})
 * @param level the lowest level that fits, at most the profile's {@code video.maxLevel}
 */
public record Rendition(
    String name,
    int width,
    int height,
    FrameRate frameRate,
    long videoBitrateBps,
    H264Profile profile,
    H264Level level) {
  public Rendition {
    requireNonNull(name, "name");
    if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException(
          "rendition size must be even and positive, got " + width + "x" + height);
    }
    requireNonNull(frameRate, "frameRate");
    if (videoBitrateBps <= 0) {
      throw new IllegalArgumentException(
          "videoBitrateBps must be positive, got " + videoBitrateBps);
    }
    requireNonNull(profile, "profile");
    requireNonNull(level, "level");
  }
}
