package org.reelbox.encoder.pkg;

import java.util.Optional;
import org.reelbox.media.hls.Codecs;

/**
 * The {@code avc1.PPCCLL} of what a rendition's segments really hold, read from the SPS of their
 * keyframes (RFC 6381 §3.3: the three bytes after the SPS NAL header), so that {@code CODECS} tells
 * the truth whichever backend encoded each chunk: the rung asks for Main, but a jcodec worker
 * writes Constrained Baseline, and a player that picks variants by {@code CODECS} must hear so.
 *
 * <p>Chunks of one rendition encoded by different workers may carry different SPSs; the string
 * covers them all: the highest profile_idc and level_idc, and only the constraint flags that every
 * SPS sets (a Main decoder decodes Constrained Baseline, a High decoder both).
 */
final class SpsCodec {
  private static final int NAL_SPS = 7;

  private int profileIdc = -1;
  private int constraintFlags = 0xff;
  private int levelIdc = -1;

  /** Takes every SPS NAL unit of one Annex B access unit into account. */
  void accept(byte[] annexB) {
    int i = 0;
    while (true) {
      int start = nextStart(annexB, i);
      if (start < 0) {
        return;
      }
      // Three bytes after the NAL header; profile_idc is never 0, so no emulation prevention byte
      // can fall among them.
      if (start + 3 < annexB.length && (annexB[start] & 0x1f) == NAL_SPS) {
        profileIdc = Math.max(profileIdc, annexB[start + 1] & 0xff);
        constraintFlags &= annexB[start + 2] & 0xff;
        levelIdc = Math.max(levelIdc, annexB[start + 3] & 0xff);
      }
      i = start;
    }
  }

  /** The codec string, or empty when no SPS was seen. */
  Optional<String> codec() {
    if (profileIdc <= 0 || levelIdc < 0) {
      return Optional.empty();
    }
    return Optional.of(Codecs.avc1(profileIdc, constraintFlags, levelIdc));
  }

  /** The index of the first byte after the next {@code 00 00 01} at or after {@code from}. */
  private static int nextStart(byte[] b, int from) {
    for (int i = from; i + 2 < b.length; i++) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
        return i + 3;
      }
    }
    return -1;
  }
}
