package org.reelbox.media.mp4;

import org.reelbox.media.hls.Codecs;

/**
 * An AAC track's AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), from its {@code mp4a} sample
 * entry's {@code esds}: what an ADTS header (§1.A.2.2) repeats in front of every frame.
 *
 * @param audioObjectType 1 (Main), 2 (LC), 3 (SSR) or 4 (LTP): the ones ADTS's 2-bit profile field
 *     can carry
 * @param samplingFrequencyIndex 0 to 12 (Table 1.16); an explicit frequency has no ADTS form
 * @param channelConfiguration 1 to 7; 0 (a program config element) is not supported
 */
public record AacConfig(int audioObjectType, int samplingFrequencyIndex, int channelConfiguration) {
  private static final int[] RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  /** The largest frame an ADTS header can frame: 13 bits of frame length, header included. */
  public static final int MAX_ADTS_FRAME_BYTES = 0x1FFF;

  public AacConfig {
    if (audioObjectType < 1 || audioObjectType > 4) {
      throw new IllegalArgumentException("audioObjectType must be 1 to 4: " + audioObjectType);
    }
    if (samplingFrequencyIndex < 0 || samplingFrequencyIndex >= RATES.length) {
      throw new IllegalArgumentException(
          "samplingFrequencyIndex must be 0 to 12: " + samplingFrequencyIndex);
    }
    if (channelConfiguration < 1 || channelConfiguration > 7) {
      throw new IllegalArgumentException(
          "channelConfiguration must be 1 to 7: " + channelConfiguration);
    }
  }

  public int sampleRateHz() {
    return RATES[samplingFrequencyIndex];
  }

  /** RFC 6381 {@code mp4a.40.AOT}, for {@code CODECS}. */
  public String codecString() {
    return Codecs.mp4a(audioObjectType);
  }

  /**
   * Writes the 7-byte ADTS header (no CRC) of a raw frame of {@code rawBytes} into {@code out} at
   * {@code at}.
   *
   * @throws IllegalArgumentException if the frame does not fit ADTS's 13-bit length
   */
  public void writeAdtsHeader(byte[] out, int at, int rawBytes) {
    int frameLength = rawBytes + 7;
    if (rawBytes < 0 || frameLength > MAX_ADTS_FRAME_BYTES) {
      throw new IllegalArgumentException("AAC frame of " + rawBytes + " bytes is too big for ADTS");
    }
    int profile = audioObjectType - 1;
    out[at] = (byte) 0xFF;
    out[at + 1] = (byte) 0xF1; // MPEG-4, layer 0, no CRC
    out[at + 2] =
        (byte) ((profile << 6) | (samplingFrequencyIndex << 2) | ((channelConfiguration >> 2) & 1));
    out[at + 3] = (byte) (((channelConfiguration & 3) << 6) | (frameLength >> 11));
    out[at + 4] = (byte) ((frameLength >> 3) & 0xFF);
    out[at + 5] = (byte) (((frameLength & 7) << 5) | 0x1F); // buffer fullness 0x7FF: VBR
    out[at + 6] = (byte) 0xFC; // ...and one raw data block
  }
}
