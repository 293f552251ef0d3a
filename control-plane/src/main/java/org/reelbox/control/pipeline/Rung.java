package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reelbox.common.playback.PlaybackPath;
import org.reelbox.control.pipeline.internal.Show;

/**
 * One rung of a profile's ladder, as written: a name, a height and a bitrate. The planner turns it
 * into a {@link Rendition} for a given source (width, frame rate, H.264 profile and level).
 *
 * @param name the rendition's name in paths ({@code hls/{id}/720p/…}) and task ids: 1 to 16 of
 *     {@code [A-Za-z0-9_-]}, starting with a letter or digit; a name of the form {@code 720p} must
 *     match the height; not one of {@link PlaybackPath#RESERVED_RENDITIONS} in any case ({@code
 *     src} is the origin's just-in-time rendition, {@code thumbs} and {@code keys} are path words)
 * @param height the height of the rung's 16:9 box (1920×1080 for 1080p; turned upright for a
 *     portrait source), even, from {@value #MIN_HEIGHT} to {@value #MAX_HEIGHT}; a source is scaled
 *     to fit the box, so a wider one comes out less tall (1920×804 for a 2.39:1 film)
 * @param videoBitrateBps the target video bitrate, positive
 */
public record Rung(String name, int height, long videoBitrateBps) {
  public static final int MIN_HEIGHT = 32;
  public static final int MAX_HEIGHT = 4320;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,15}");
  private static final Pattern HEIGHT_NAME = Pattern.compile("([0-9]+)p");

  public Rung {
    requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be 1 to 16 letters, digits, '_' or '-', got " + Show.value(name));
    }
    if (PlaybackPath.RESERVED_RENDITIONS.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "name " + name + " is reserved (one of " + PlaybackPath.RESERVED_RENDITIONS + ")");
    }
    if (height < MIN_HEIGHT || height > MAX_HEIGHT || height % 2 != 0) {
      throw new IllegalArgumentException(
          "height must be even, from " + MIN_HEIGHT + " to " + MAX_HEIGHT + ", got " + height);
    }
    // "720p" with height 480 is a typo that would mislabel a rendition in every player's menu.
    Matcher m = HEIGHT_NAME.matcher(name);
    if (m.matches() && !m.group(1).equals(Integer.toString(height))) {
      throw new IllegalArgumentException("name " + name + " does not match its height " + height);
    }
    if (videoBitrateBps <= 0) {
      throw new IllegalArgumentException(
          "videoBitrateBps must be positive, got " + videoBitrateBps);
    }
  }
}
