package org.reelbox.encoder.jcodec;

import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.common.model.Size;

/**
 * jcodec's H.264 encoder (baseline: CAVLC, I16x16 and P16x16 macroblocks, one reference frame, no B
 * frames) with an SPS that says what the stream is: constraint_set0 and constraint_set1 flags set
 * (Constrained Baseline, which every player decodes), the rendition's level instead of jcodec's
 * fixed 4.0, and picture order counts derived from frame_num (pic_order_cnt_type 2), since jcodec
 * writes no POC of its own and every frame is shown in decode order.
 */
final class BaselineEncoder extends H264Encoder {
  private final int levelIdc;

  BaselineEncoder(BitrateControl rc, int levelIdc) {
    super(rc);
    this.levelIdc = levelIdc;
    // frame_num counts P frames since the last IDR modulo 2^(log2(keyInterval) + 1): make room
    // for long GOPs, as we force every IDR ourselves.
    setKeyInterval(4096);
  }

  @Override
  public SeqParameterSet initSPS(Size size) {
    SeqParameterSet sps = super.initSPS(size);
    sps.constraintSet0Flag = true;
    sps.constraintSet1Flag = true;
    sps.levelIdc = levelIdc;
    sps.picOrderCntType = 2;
    return sps;
  }

  /** "3.1" → 31; anything unreadable → 40 (jcodec's default). */
  static int levelIdc(String level) {
    try {
      return (int) Math.round(Double.parseDouble(level) * 10);
    } catch (NumberFormatException e) {
      return 40;
    }
  }
}
