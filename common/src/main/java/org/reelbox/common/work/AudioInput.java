package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * Input of an {@link TaskType#AUDIO} task: the source's first audio track, whole, to AAC-LC (or
 * copied when it already is AAC-LC at the target's channels and rate). Output: {@link AudioOutput}.
 *
 * @param sourceKey the original
 * @param bitrateBps AAC bitrate
 * @param channels 1 or 2
 * @param sampleRateHz 44100 or 48000
 * @param outputKey where the ADTS stream goes ({@link BlobLayout#audioKey})
 * @param source what inspect found (its {@code audio} may be null: then the output says so)
 */
public record AudioInput(
    String sourceKey,
    long bitrateBps,
    int channels,
    int sampleRateHz,
    String outputKey,
    MediaInfo source) {
  public AudioInput {
    requireNonNull(sourceKey, "sourceKey");
    requireNonNull(outputKey, "outputKey");
    requireNonNull(source, "source");
  }
}
