package org.reelbox.encoder.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpsCodecTest {
  /** An access unit: AUD, SPS (profile, constraints, level, then a little more), PPS, IDR. */
  private static byte[] accessUnit(int profileIdc, int constraints, int levelIdc) {
    return new byte[] {
      0,
      0,
      0,
      1,
      0x09,
      (byte) 0xf0, // AUD, four-byte start code
      0,
      0,
      0,
      1,
      0x67,
      (byte) profileIdc,
      (byte) constraints,
      (byte) levelIdc,
      (byte) 0xac,
      0x1b,
      0,
      0,
      1,
      0x68,
      (byte) 0xce,
      0x3c,
      (byte) 0x80, // PPS, three-byte start code
      0,
      0,
      1,
      0x65,
      (byte) 0x88,
      (byte) 0x84,
      0x00
    };
  }

  @Test
  void codec_oneSps_itsThreeBytes() {
    SpsCodec codec = new SpsCodec();
    codec.accept(accessUnit(66, 0xc0, 30));
    codec.accept(accessUnit(66, 0xc0, 30));
    assertThat(codec.codec()).contains("avc1.42c01e");
  }

  @Test
  void codec_mixedChunks_highestProfileAndLevel_onlyCommonConstraintFlags() {
    SpsCodec codec = new SpsCodec();
    codec.accept(accessUnit(66, 0xc0, 30)); // jcodec: Constrained Baseline 3.0
    codec.accept(accessUnit(77, 0x40, 31)); // libx264: Main 3.1
    assertThat(codec.codec()).contains("avc1.4d401f");
  }

  @Test
  void codec_noSps_empty() {
    SpsCodec codec = new SpsCodec();
    codec.accept(new byte[] {0, 0, 1, 0x41, (byte) 0x9a, 0, 0, 1});
    codec.accept(new byte[0]);
    assertThat(codec.codec()).isEmpty();
  }
}
