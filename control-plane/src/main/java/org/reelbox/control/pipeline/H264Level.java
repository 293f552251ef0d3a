package org.reelbox.control.pipeline;

import java.util.Optional;

/**
 * H.264 levels and their limits, from ITU-T H.264 Table A-1 (level 1b, which only Baseline-era
 * devices use, is left out).
 *
 * <p>The planner gives each rendition the lowest level that fits its frame size, frame rate and
 * bitrate, never above the profile's {@code video.maxLevel} (4.1 by default: what smart TVs and
 * phones are certified for).
 */
public enum H264Level {
  L1("1.0", 10, 1_485, 99, 64),
  L1_1("1.1", 11, 3_000, 396, 192),
  L1_2("1.2", 12, 6_000, 396, 384),
  L1_3("1.3", 13, 11_880, 396, 768),
  L2("2.0", 20, 11_880, 396, 2_000),
  L2_1("2.1", 21, 19_800, 792, 4_000),
  L2_2("2.2", 22, 20_250, 1_620, 4_000),
  L3("3.0", 30, 40_500, 1_620, 10_000),
  L3_1("3.1", 31, 108_000, 3_600, 14_000),
  L3_2("3.2", 32, 216_000, 5_120, 20_000),
  L4("4.0", 40, 245_760, 8_192, 20_000),
  L4_1("4.1", 41, 245_760, 8_192, 50_000),
  L4_2("4.2", 42, 522_240, 8_704, 50_000),
  L5("5.0", 50, 589_824, 22_080, 135_000),
  L5_1("5.1", 51, 983_040, 36_864, 240_000),
  L5_2("5.2", 52, 2_073_600, 36_864, 240_000);

  /** The highest level a profile may name in {@code video.maxLevel}. */
  public static final H264Level MAX_ALLOWED = L4_1;

  private final String label;
  private final int levelIdc;
  private final long maxMbPerSecond;
  private final int maxFrameMbs;
  private final long maxBitrateKbps;

  H264Level(String label, int levelIdc, long maxMbPerSecond, int maxFrameMbs, long maxBitrateKbps) {
    this.label = label;
    this.levelIdc = levelIdc;
    this.maxMbPerSecond = maxMbPerSecond;
    this.maxFrameMbs = maxFrameMbs;
    this.maxBitrateKbps = maxBitrateKbps;
  }

  /** Parses "4.1", "4.0" or "4"; empty for anything else (including "1b"). */
  public static Optional<H264Level> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.contains(".") ? text : text + ".0";
    for (H264Level l : values()) {
      if (l.label.equals(t)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** "4.1", "4.0". */
  public String label() {
    return label;
  }

  /** level_idc, the last byte of an {@code avc1.PPCCLL} codecs string: 41 for 4.1. */
  public int levelIdc() {
    return levelIdc;
  }

  /** MaxFS: the largest frame, in 16×16 macroblocks. */
  public int maxFrameMbs() {
    return maxFrameMbs;
  }

  /** MaxBR for {@code profile}, in bits per second. */
  public long maxBitrateBps(H264Profile profile) {
    return Math.round(maxBitrateKbps * 1000 * profile.bitrateFactor());
  }

  /** Whether a {@code width}×{@code height} frame fits MaxFS, and each side its A.3.1 limit. */
  public boolean fitsFrame(int width, int height) {
    long w = macroblocks(width);
    long h = macroblocks(height);
    // A.3.1 (f), (g): neither side may exceed Sqrt(MaxFS * 8) macroblocks.
    long side = (long) Math.floor(Math.sqrt(maxFrameMbs * 8.0));
    return w * h <= maxFrameMbs && w <= side && h <= side;
  }

  /** Whether a stream of that frame size, rate and bitrate fits this level. */
  public boolean fits(
      int width, int height, FrameRate frameRate, long bitrateBps, H264Profile profile) {
    long mbs = macroblocks(width) * macroblocks(height);
    // MaxMBPS: mbs × num / den <= max, in integers so that 30000/1001 is exact.
    boolean rateFits =
        mbs * frameRate.numerator() <= maxMbPerSecond * (long) frameRate.denominator();
    return fitsFrame(width, height) && rateFits && bitrateBps <= maxBitrateBps(profile);
  }

  /**
   * The lowest level at most {@code max} that fits, or empty.
   *
   * @see #fits
   */
  public static Optional<H264Level> lowestFitting(
      int width,
      int height,
      FrameRate frameRate,
      long bitrateBps,
      H264Profile profile,
      H264Level max) {
    for (H264Level l : values()) {
      if (l.compareTo(max) > 0) {
        break;
      }
      if (l.fits(width, height, frameRate, bitrateBps, profile)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  private static long macroblocks(int pixels) {
    return (pixels + 15) / 16;
  }
}
