package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import org.reelbox.control.pipeline.internal.Show;

/**
 * A profile's video format: the codec and the highest H.264 level any rendition may use.
 *
 * @param codec {@code h264}, the only codec every browser, phone and smart TV plays
 * @param maxLevel at most {@link H264Level#MAX_ALLOWED} (4.1)
 */
public record VideoSpec(String codec, H264Level maxLevel) {
  public static final String H264 = "h264";

  public VideoSpec {
    requireNonNull(codec, "codec");
    requireNonNull(maxLevel, "maxLevel");
    if (!codec.equals(H264)) {
      throw new IllegalArgumentException("codec must be h264, got " + Show.value(codec));
    }
    if (maxLevel.compareTo(H264Level.MAX_ALLOWED) > 0) {
      throw new IllegalArgumentException(
          "maxLevel must be at most "
              + H264Level.MAX_ALLOWED.label()
              + " (what smart TVs and phones are certified for), got "
              + maxLevel.label());
    }
  }

  /** H.264 up to level 4.1. */
  public static VideoSpec defaults() {
    return new VideoSpec(H264, H264Level.MAX_ALLOWED);
  }
}
