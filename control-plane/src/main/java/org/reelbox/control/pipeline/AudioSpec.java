package org.reelbox.control.pipeline;

import static java.util.Objects.requireNonNull;

import org.reelbox.control.pipeline.internal.Show;

/**
 * A profile's audio format; the audio node encodes the whole track to it once.
 *
 * @param codec {@code aac}: AAC-LC, which every HLS client plays
 * @param bitrateBps from 32 000 to 320 000
 * @param channels 1 or 2
 * @param sampleRateHz 44 100 or 48 000
 */
public record AudioSpec(String codec, long bitrateBps, int channels, int sampleRateHz) {
  public static final String AAC = "aac";

  public AudioSpec {
    requireNonNull(codec, "codec");
    if (!codec.equals(AAC)) {
      throw new IllegalArgumentException("codec must be aac (AAC-LC), got " + Show.value(codec));
    }
    if (bitrateBps < 32_000 || bitrateBps > 320_000) {
      throw new IllegalArgumentException(
          "bitrateBps must be from 32000 to 320000, got " + bitrateBps);
    }
    if (channels != 1 && channels != 2) {
      throw new IllegalArgumentException("channels must be 1 or 2, got " + channels);
    }
    if (sampleRateHz != 44_100 && sampleRateHz != 48_000) {
      throw new IllegalArgumentException(
          "sampleRateHz must be 44100 or 48000, got " + sampleRateHz);
    }
  }

  /** AAC-LC, 128 kbps, stereo, 48 kHz. */
  public static AudioSpec defaults() {
    return new AudioSpec(AAC, 128_000, 2, 48_000);
  }
}
