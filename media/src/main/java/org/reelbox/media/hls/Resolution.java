package org.reelbox.media.hls;

import static org.reelbox.media.hls.Checks.checkArgument;

/**
 * A decimal-resolution (RFC 8216 §4.2), the {@code RESOLUTION} attribute: {@code 1280x720}.
 *
 * @param width the width in pixels, greater than 0
 * @param height the height in pixels, greater than 0
 */
public record Resolution(int width, int height) {

  public Resolution {
    checkArgument(width > 0, "width must be greater than 0: %s", width);
    checkArgument(height > 0, "height must be greater than 0: %s", height);
  }

  /** The attribute value, {@code <width>x<height>}. */
  @Override
  public String toString() {
    return width + "x" + height;
  }
}
