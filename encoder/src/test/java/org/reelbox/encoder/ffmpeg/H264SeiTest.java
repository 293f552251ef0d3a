package org.reelbox.encoder.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class H264SeiTest {
  private static final int ORIENTATION = H264Sei.DISPLAY_ORIENTATION;

  /** An access unit: AUD, an SEI NAL with the given RBSP bytes, an IDR slice header stub. */
  private static byte[] accessUnit(int... seiRbsp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 0, 0, 1, 0x09, (byte) 0xf0});
    out.writeBytes(new byte[] {0, 0, 1, 0x06});
    for (int b : seiRbsp) {
      out.write(b);
    }
    out.writeBytes(new byte[] {0, 0, 1, 0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x33});
    return out.toByteArray();
  }

  @Test
  void userDataOnly_hasNoOrientation() {
    // x264's version banner: payload type 5 (user data unregistered), 4 bytes, trailing bits.
    assertThat(H264Sei.mayContain(accessUnit(5, 4, 'x', '2', '6', '4', 0x80), ORIENTATION))
        .isFalse();
  }

  @Test
  void orientationAfterAnotherMessage_isFound() {
    assertThat(
            H264Sei.mayContain(accessUnit(5, 1, 'x', 47, 3, 0x40, 0x00, 0x10, 0x80), ORIENTATION))
        .isTrue();
  }

  @Test
  void typeAndSizeAboveAByte_areSummedOver0xFf() {
    // Type 255 + 47 = 302 is not 47; its 2-byte payload is skipped, then a 47 follows.
    assertThat(H264Sei.mayContain(accessUnit(0xff, 47, 2, 1, 2, 0x80), ORIENTATION)).isFalse();
    assertThat(H264Sei.mayContain(accessUnit(0xff, 47, 2, 1, 2, 47, 1, 0, 0x80), ORIENTATION))
        .isTrue();
  }

  @Test
  void emulationPreventionBytes_doNotShiftThePayload() {
    // Payload 00 00 03 01 in the stream is 00 00 01 in the RBSP: 3 bytes, not 4, so the next
    // message's type is 47, not the 0x2f-looking byte inside.
    assertThat(H264Sei.mayContain(accessUnit(5, 3, 0, 0, 3, 1, 47, 1, 0, 0x80), ORIENTATION))
        .isTrue();
    assertThat(H264Sei.mayContain(accessUnit(5, 3, 0, 0, 3, 1, 6, 1, 0, 0x80), ORIENTATION))
        .isFalse();
  }

  @Test
  void truncatedOrMalformed_countsAsMaybe() {
    assertThat(H264Sei.mayContain(accessUnit(5, 40, 'x', 'y'), ORIENTATION)).isTrue();
    assertThat(H264Sei.mayContain(accessUnit(0xff, 0xff), ORIENTATION)).isTrue();
  }

  @Test
  void noSeiAtAll_orNoStartCode_hasNone() {
    assertThat(H264Sei.mayContain(new byte[] {0, 0, 1, 0x65, 1, 2, 3}, ORIENTATION)).isFalse();
    assertThat(H264Sei.mayContain(new byte[] {1, 2, 3}, ORIENTATION)).isFalse();
    assertThat(H264Sei.mayContain(new byte[0], ORIENTATION)).isFalse();
  }
}
