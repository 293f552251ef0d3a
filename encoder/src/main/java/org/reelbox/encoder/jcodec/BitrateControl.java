package org.reelbox.encoder.jcodec;

import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.common.model.Size;

/**
 * Frame-level average-bitrate control for jcodec's H.264 encoder. jcodec ships a constant-QP
 * control ({@code DumbRateControl}: QP 20 for I, 26 for P, raised per macroblock only to fit the
 * output buffer) and a per-macroblock one without a bitrate target; neither aims at a bitrate.
 *
 * <p>This one picks each frame's QP from how far the bits spent so far are from the budget ({@code
 * bitrate / frame rate} per frame): one step up or down when the running total is more than 10%
 * off, two steps when it is more than 50% off, within QP 12-48. The first QP is estimated from the
 * bits per pixel. I frames are coded 3 QP below P frames, the usual quality anchor. Inside a frame
 * the QP changes only to keep a macroblock from overflowing the output buffer (jcodec re-encodes
 * that macroblock one step coarser), as jcodec's own control does.
 */
final class BitrateControl implements RateControl {
  static final int MIN_QP = 12;
  static final int MAX_QP = 48;
  private static final int I_OFFSET = -3;

  private final double bitsPerFrame;
  private int qp;
  private double budget;
  private double spent;
  private int maxBitsPerMb = Integer.MAX_VALUE;

  BitrateControl(long bitrateBps, double frameRate, int width, int height) {
    this.bitsPerFrame = bitrateBps / Math.max(1.0, frameRate);
    double bitsPerPixel = bitsPerFrame / Math.max(1, width * height);
    // About 30 at 0.1 bit per pixel (jcodec's 16x16-only macroblocks need more bits than x264
    // for the same QP); each halving of the budget costs 6 QP.
    this.qp = clamp((int) Math.round(30 - 6 * Math.log(bitsPerPixel / 0.1) / Math.log(2)));
  }

  @Override
  public int startPicture(Size size, int maxSize, SliceType sliceType) {
    int mbs = ((size.getWidth() + 15) >> 4) * ((size.getHeight() + 15) >> 4);
    maxBitsPerMb = Math.max(256, (int) Math.min(Integer.MAX_VALUE, (long) maxSize * 8 / mbs));
    return Math.max(MIN_QP, qp + (sliceType == SliceType.I ? I_OFFSET : 0));
  }

  @Override
  public int initialQpDelta() {
    return 0;
  }

  @Override
  public int accept(int bits) {
    return bits > maxBitsPerMb ? 1 : 0;
  }

  /** Takes the size of the frame just encoded and sets the next frame's QP. */
  void frameDone(int bytes) {
    spent += bytes * 8.0;
    budget += bitsPerFrame;
    double ratio = spent / budget;
    if (ratio > 1.5) {
      qp = clamp(qp + 2);
    } else if (ratio > 1.1) {
      qp = clamp(qp + 1);
    } else if (ratio < 0.5) {
      qp = clamp(qp - 2);
    } else if (ratio < 0.9) {
      qp = clamp(qp - 1);
    }
  }

  int qp() {
    return qp;
  }

  private static int clamp(int value) {
    return Math.max(MIN_QP, Math.min(MAX_QP, value));
  }
}
