package org.reelbox.control.pipeline;

/** The H.264 profiles the planner assigns (ITU-T H.264 Annex A.2), with their profile_idc. */
public enum H264Profile {
  MAIN("main", 77),
  HIGH("high", 100);

  /** Rungs at most this tall (in the ladder's terms: 480 for 480p) are Main, taller ones High. */
  public static final int MAIN_MAX_HEIGHT = 480;

  private final String label;
  private final int profileIdc;

  H264Profile(String label, int profileIdc) {
    this.label = label;
    this.profileIdc = profileIdc;
  }

  /**
   * The profile for a rung of height {@code rungHeight} (1080 for 1080p): High above 480p, Main at
   * 480p and below. Why: the low rungs are what old phones and set-top boxes fall back to, and some
   * of them decode Main only; everything that plays HD plays High, where its 8×8 transform saves
   * most.
   */
  public static H264Profile forHeight(int rungHeight) {
    return rungHeight > MAIN_MAX_HEIGHT ? HIGH : MAIN;
  }

  /** What ffmpeg's {@code -profile:v} and the plan dumps call it. */
  public String label() {
    return label;
  }

  /** profile_idc, the first byte of an {@code avc1.PPCCLL} codecs string. */
  public int profileIdc() {
    return profileIdc;
  }

  /**
   * The factor on a level's MaxBR for this profile (H.264 Table A-2, cpbBrVclFactor 1250 for High
   * against 1000 for Main).
   */
  double bitrateFactor() {
    return this == HIGH ? 1.25 : 1.0;
  }
}
