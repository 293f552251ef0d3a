package org.reelbox.control.pipeline.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.reelbox.control.pipeline.FrameRate;
import org.reelbox.control.pipeline.H264Level;
import org.reelbox.control.pipeline.H264Profile;
import org.reelbox.control.pipeline.Rendition;
import org.reelbox.control.pipeline.Rung;
import org.reelbox.control.pipeline.SourceInfo;

/**
 * Resolves a ladder against a source: which rungs it gets and what each one is exactly. Not API;
 * see {@link org.reelbox.control.pipeline.Plan#ladderFor}.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li><b>A rung is a box.</b> A rung of height h stands for the 16:9 box around it: 1920×1080 for
 *       1080p, turned to 1080×1920 for a portrait source. The source is scaled to fit the box,
 *       aspect ratio kept, sides rounded to even (4:2:0 needs even sides). So a 2.39:1 film gets
 *       1920×804 as its 1080p, a 4:3 one 1440×1080, a phone's 1080×1920 stays 1080×1920. This is
 *       the usual meaning of "1080p" in players' menus, and since the box fits the profile's level
 *       (checked at load time), so does every rendition, whatever the source's shape.
 *   <li><b>Never upscale.</b> A rung whose box would enlarge the source is dropped: upscaling
 *       spends bits on detail that is not there.
 *   <li><b>Always one rung.</b> A source smaller than every box gets one rendition at its own size
 *       (rounded down to even), named after its short side ({@code 180p}); its bitrate is the
 *       smallest rung's scaled by the pixel count, the same bits per pixel.
 *   <li><b>Profile.</b> By the rung's height: High above 480p, Main at and below ({@link
 *       H264Profile#forHeight}).
 *   <li><b>Level.</b> The lowest level that fits the frame size, frame rate and bitrate, at most
 *       {@code video.maxLevel}. When the source's frame rate is too high for that level (1080p60
 *       needs 4.2), the rendition keeps every n-th frame for the smallest n that fits, so 1080p60
 *       becomes 1080p30 while 720p60 stays at 60, and all of them keep keyframes at the same times.
 * </ol>
 */
public final class Ladders {
  private Ladders() {}

  public static List<Rendition> resolve(List<Rung> rungs, H264Level maxLevel, SourceInfo source) {
    List<Rendition> out = new ArrayList<>();
    for (Rung r : rungs) {
      Box box = Box.of(r.height(), source);
      if (box.scale(source) <= 1.0) {
        int[] size = box.fit(source);
        rendition(r.name(), r.height(), size, r.videoBitrateBps(), maxLevel, source)
            .ifPresent(out::add);
      }
    }
    if (out.isEmpty() && !rungs.isEmpty()) {
      Rung smallest = rungs.stream().min(Comparator.comparingInt(Rung::height)).orElseThrow();
      int[] size = {Math.max(2, source.width() & ~1), Math.max(2, source.height() & ~1)};
      int shortSide = Math.min(size[0], size[1]);
      Box box = Box.of(smallest.height(), source);
      double pixels = (double) size[0] * size[1] / ((double) box.width() * box.height());
      long bitrate = Math.max(1, Math.round(smallest.videoBitrateBps() * pixels));
      rendition(shortSide + "p", shortSide, size, bitrate, maxLevel, source).ifPresent(out::add);
    }
    if (out.isEmpty()) {
      // Unreachable for profiles that loaded (every box fits the level at some frame rate), but a
      // plan must never come out empty.
      throw new IllegalArgumentException(
          "source "
              + source.width()
              + "x"
              + source.height()
              + ": no rendition of the ladder fits H.264 level "
              + maxLevel.label());
    }
    return out;
  }

  private static Optional<Rendition> rendition(
      String name, int rungHeight, int[] size, long bitrate, H264Level maxLevel, SourceInfo s) {
    int width = size[0];
    int height = size[1];
    H264Profile profile = H264Profile.forHeight(rungHeight);
    FrameRate sourceRate = s.frameRate();
    // Level 1's MaxMBPS / MaxFS is 15 fps, so some n at or below the source's fps always fits a
    // frame that fits at all; the bound only guards against a level table without that property.
    for (int n = 1; sourceRate.fps() / n >= 1.0; n++) {
      FrameRate rate = sourceRate.divide(n);
      Optional<H264Level> level =
          H264Level.lowestFitting(width, height, rate, bitrate, profile, maxLevel);
      if (level.isPresent()) {
        return Optional.of(new Rendition(name, width, height, rate, bitrate, profile, level.get()));
      }
    }
    return Optional.empty();
  }

  /** A rung's 16:9 box, turned upright for a portrait source. */
  private record Box(int width, int height) {
    static Box of(int rungHeight, SourceInfo s) {
      int longSide = ProfileChecks.widthAt16x9(rungHeight);
      return s.width() >= s.height()
          ? new Box(longSide, rungHeight)
          : new Box(rungHeight, longSide);
    }

    /** The factor that fits the source into the box; above 1 means upscaling. */
    double scale(SourceInfo s) {
      return Math.min((double) width / s.width(), (double) height / s.height());
    }

    /** The source's size scaled into the box, even, within both the box and the source. */
    int[] fit(SourceInfo s) {
      double k = scale(s);
      return new int[] {
        side(s.width() * k, Math.min(width, s.width())),
        side(s.height() * k, Math.min(height, s.height()))
      };
    }

    private static int side(double scaled, int limit) {
      int even = ProfileChecks.evenRound(scaled);
      while (even > limit && even > 2) {
        even -= 2;
      }
      return even;
    }
  }
}
