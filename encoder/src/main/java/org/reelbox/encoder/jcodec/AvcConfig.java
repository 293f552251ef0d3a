package org.reelbox.encoder.jcodec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.mp4.AvcCBox;
import org.jcodec.containers.mp4.boxes.SampleEntry;
import org.jcodec.containers.mp4.boxes.VideoSampleEntry;

/**
 * An H.264 track's decoder configuration ({@code avcC}, ISO/IEC 14496-15 §5.3.3) and the conversion
 * of its samples to Annex B: MP4 stores NAL units behind 1-, 2- or 4-byte lengths; MPEG-TS wants
 * them behind start codes, with SPS and PPS in band before every keyframe.
 */
final class AvcConfig {
  private static final byte[] START = {0, 0, 0, 1};

  final int nalLengthSize;
  final int profileIdc;
  final byte[] parameterSets; // SPS then PPS, Annex B

  private AvcConfig(int nalLengthSize, int profileIdc, byte[] parameterSets) {
    this.nalLengthSize = nalLengthSize;
    this.profileIdc = profileIdc;
    this.parameterSets = parameterSets;
  }

  /**
   * Reads the {@code avcC} of an {@code avc1}/{@code avc3} sample entry; {@code avc3} may carry
   * none (parameter sets in band) and then gets 4-byte lengths.
   *
   * @throws IllegalArgumentException when it is broken
   */
  static AvcConfig of(SampleEntry entry) {
    AvcCBox avcC = entry instanceof VideoSampleEntry v ? H264Utils.parseAVCC(v) : null;
    if (avcC == null) {
      if ("avc3".equals(entry.getFourcc())) {
        return new AvcConfig(4, 0, new byte[0]);
      }
      throw new IllegalArgumentException("no avcC box in the H.264 sample entry");
    }
    int lengthSize = avcC.getNalLengthSize();
    if (lengthSize != 1 && lengthSize != 2 && lengthSize != 4) {
      throw new IllegalArgumentException("avcC NAL length size " + lengthSize);
    }
    ByteArrayOutputStream ps = new ByteArrayOutputStream();
    // jcodec hands out parameter sets without their NAL header byte: put it back (nal_ref_idc 3,
    // type 7 for SPS, 8 for PPS).
    List<List<ByteBuffer>> lists = List.of(avcC.getSpsList(), avcC.getPpsList());
    for (int k = 0; k < 2; k++) {
      for (ByteBuffer nal : lists.get(k)) {
        ps.writeBytes(START);
        ps.write(k == 0 ? 0x67 : 0x68);
        ByteBuffer d = nal.duplicate();
        byte[] bytes = new byte[d.remaining()];
        d.get(bytes);
        ps.writeBytes(bytes);
      }
    }
    return new AvcConfig(lengthSize, avcC.getProfile(), ps.toByteArray());
  }

  /** The first SPS's bytes (after the NAL header byte is kept), or null. */
  byte[] firstSps() {
    if (parameterSets.length < 5) {
      return null;
    }
    int end = parameterSets.length;
    for (int i = 4; i + 3 < parameterSets.length; i++) {
      if (parameterSets[i] == 0
          && parameterSets[i + 1] == 0
          && parameterSets[i + 2] == 0
          && parameterSets[i + 3] == 1) {
        end = i;
        break;
      }
    }
    return java.util.Arrays.copyOfRange(parameterSets, 4, end);
  }

  /**
   * One sample (length-prefixed NAL units) as an Annex B access unit, with the parameter sets first
   * when {@code keyframe}.
   *
   * @throws IllegalArgumentException when a NAL length runs past the sample
   */
  byte[] toAnnexB(byte[] sample, boolean keyframe) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sample.length + 64);
    if (keyframe) {
      out.writeBytes(parameterSets);
    }
    int i = 0;
    int nals = 0;
    while (i < sample.length) {
      if (sample.length - i < nalLengthSize) {
        throw new IllegalArgumentException("a NAL length is cut off at byte " + i);
      }
      long length = 0;
      for (int k = 0; k < nalLengthSize; k++) {
        length = (length << 8) | (sample[i + k] & 0xFF);
      }
      i += nalLengthSize;
      if (length > sample.length - i) {
        throw new IllegalArgumentException(
            "a NAL unit of " + length + " bytes runs past its sample at byte " + i);
      }
      if (length > 0) {
        out.writeBytes(START);
        out.write(sample, i, (int) length);
        nals++;
      }
      i += (int) length;
    }
    if (nals == 0) {
      throw new IllegalArgumentException("a sample without NAL units");
    }
    return out.toByteArray();
  }

  static String profileName(int profileIdc, boolean constrained) {
    return switch (profileIdc) {
      case 66 -> constrained ? "Constrained Baseline" : "Baseline";
      case 77 -> "Main";
      case 88 -> "Extended";
      case 100 -> "High";
      case 110 -> "High 10";
      case 122 -> "High 4:2:2";
      case 244 -> "High 4:4:4 Predictive";
      default -> "";
    };
  }
}
