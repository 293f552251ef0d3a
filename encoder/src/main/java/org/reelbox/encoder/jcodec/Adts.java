package org.reelbox.encoder.jcodec;

/**
 * ADTS framing of raw AAC frames (ISO/IEC 13818-7 §6.2, ISO/IEC 14496-3 §1.A.2): MP4 stores bare
 * {@code raw_data_block}s and the decoder configuration once ({@code AudioSpecificConfig} in {@code
 * esds}); an ADTS stream repeats a 7-byte header before every frame.
 */
final class Adts {
  static final int HEADER_BYTES = 7;
  static final int MAX_FRAME_BYTES = (1 << 13) - 1;

  private static final int[] RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  /**
   * The part of an {@code AudioSpecificConfig} that ADTS can carry.
   *
   * @param objectType the audio object type: 2 for AAC-LC
   * @param rateIndex the sampling_frequency_index, 0-12
   * @param channelConfig the channel_configuration, 1-7
   */
  record Config(int objectType, int rateIndex, int channelConfig) {
    int sampleRateHz() {
      return RATES[rateIndex];
    }

    int channels() {
      return channelConfig == 7 ? 8 : channelConfig;
    }
  }

  private Adts() {}

  /**
   * Reads an {@code AudioSpecificConfig} (ISO/IEC 14496-3 §1.6.2.1).
   *
   * @throws IllegalArgumentException when ADTS cannot carry it: an escaped object type, an explicit
   *     sampling rate, or a channel configuration of 0 (a program config element)
   */
  static Config parseConfig(byte[] asc) {
    if (asc.length < 2) {
      throw new IllegalArgumentException("AudioSpecificConfig of " + asc.length + " bytes");
    }
    int bits = ((asc[0] & 0xFF) << 8) | (asc[1] & 0xFF);
    int objectType = bits >>> 11;
    int rateIndex = (bits >>> 7) & 0xF;
    int channelConfig = (bits >>> 3) & 0xF;
    if (objectType == 31) {
      throw new IllegalArgumentException("escaped audio object type");
    }
    if (rateIndex > 12) {
      throw new IllegalArgumentException("sampling frequency index " + rateIndex);
    }
    if (channelConfig == 0 || channelConfig > 7) {
      throw new IllegalArgumentException("channel configuration " + channelConfig);
    }
    return new Config(objectType, rateIndex, channelConfig);
  }

  /** Writes the 7-byte ADTS header (no CRC) of a frame with {@code payloadBytes} after it. */
  static void writeHeader(Config c, int payloadBytes, byte[] out, int at) {
    int frameLength = payloadBytes + HEADER_BYTES;
    if (frameLength > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("an AAC frame of " + payloadBytes + " bytes");
    }
    out[at] = (byte) 0xFF;
    out[at + 1] = (byte) 0xF1; // syncword, MPEG-4, layer 0, protection_absent
    out[at + 2] =
        (byte) (((c.objectType() - 1) << 6) | (c.rateIndex() << 2) | (c.channelConfig() >> 2));
    out[at + 3] = (byte) (((c.channelConfig() & 3) << 6) | (frameLength >> 11));
    out[at + 4] = (byte) (frameLength >> 3);
    out[at + 5] = (byte) (((frameLength & 7) << 5) | 0x1F); // buffer fullness 0x7FF: VBR
    out[at + 6] = (byte) 0xFC; // fullness low bits, one raw_data_block
  }

  /** The sample rate of an ADTS header at {@code at}, or -1 if none is there. */
  static int sampleRate(byte[] header, int at) {
    if ((header[at] & 0xFF) != 0xFF || (header[at + 1] & 0xF0) != 0xF0) {
      return -1;
    }
    int index = (header[at + 2] >> 2) & 0xF;
    return index <= 12 ? RATES[index] : -1;
  }

  /** The frame_length (header included) of an ADTS header at {@code at}. */
  static int frameLength(byte[] header, int at) {
    return ((header[at + 3] & 0x03) << 11)
        | ((header[at + 4] & 0xFF) << 3)
        | ((header[at + 5] & 0xE0) >>> 5);
  }
}
