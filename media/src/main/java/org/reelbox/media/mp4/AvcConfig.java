package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.reelbox.media.hls.Codecs;

/**
 * An H.264 track's decoder configuration, from its {@code avc1} sample entry and {@code avcC} box
 * (ISO/IEC 14496-15 §5.3.3).
 *
 * @param width the sample entry's width in pixels (the coded picture, before any display matrix)
 * @param height its height in pixels
 * @param profileIdc AVCProfileIndication
 * @param constraintFlags profile_compatibility (the constraint_set flags byte)
 * @param levelIdc AVCLevelIndication
 * @param nalLengthSize the bytes of each NAL unit's length prefix in samples: 1, 2 or 4
 * @param sps the sequence parameter sets, NAL units without start code
 * @param pps the picture parameter sets, NAL units without start code
 */
public record AvcConfig(
    int width,
    int height,
    int profileIdc,
    int constraintFlags,
    int levelIdc,
    int nalLengthSize,
    List<byte[]> sps,
    List<byte[]> pps) {

  public AvcConfig {
    sps = List.copyOf(requireNonNull(sps, "sps"));
    pps = List.copyOf(requireNonNull(pps, "pps"));
    if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
      throw new IllegalArgumentException("nalLengthSize must be 1, 2 or 4: " + nalLengthSize);
    }
  }

  /** RFC 6381 {@code avc1.PPCCLL}, for {@code CODECS}. */
  public String codecString() {
    return Codecs.avc1(profileIdc, constraintFlags, levelIdc);
  }

  /**
   * Every SPS then every PPS, each after a 4-byte Annex B start code: what goes before an IDR in a
   * transport stream, where no {@code avcC} exists to carry them (ISO/IEC 14496-15 §5.4.2.1 lets
   * MP4 samples leave them out; a TS decoder joining at a segment needs them in band).
   */
  public byte[] annexBParameterSets() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] nal : sps) {
      out.writeBytes(new byte[] {0, 0, 0, 1});
      out.writeBytes(nal);
    }
    for (byte[] nal : pps) {
      out.writeBytes(new byte[] {0, 0, 0, 1});
      out.writeBytes(nal);
    }
    return out.toByteArray();
  }
}
