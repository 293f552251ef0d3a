package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What {@link Mp4SampleReader} found in an MP4 that can be remuxed without re-encoding: one H.264
 * video track and at most one AAC audio track, each with its sample table.
 *
 * @param sizeBytes the file's size
 * @param video the H.264 track's configuration
 * @param videoSamples its samples; the first one is a sync sample
 * @param audio the AAC track's configuration, if the movie has one
 * @param audioSamples its samples (null exactly when {@code audio} is empty)
 */
public record Mp4Movie(
    long sizeBytes,
    AvcConfig video,
    SampleTable videoSamples,
    Optional<AacConfig> audio,
    SampleTable audioSamples) {

  public Mp4Movie {
    requireNonNull(video, "video");
    requireNonNull(videoSamples, "videoSamples");
    requireNonNull(audio, "audio");
    if (audio.isPresent() != (audioSamples != null)) {
      throw new IllegalArgumentException("audioSamples must be given exactly with audio");
    }
  }

  /** Samples in all, what an index of this movie costs to keep (about 29 bytes each). */
  public int sampleCount() {
    return videoSamples.count() + (audioSamples == null ? 0 : audioSamples.count());
  }

  /** The presentation's length in microseconds: the later end of the two tracks. */
  public long durationUs() {
    long us = Math.floorDiv(videoSamples.endPts() * 1_000_000L, videoSamples.timescale());
    if (audioSamples != null && audioSamples.count() > 0) {
      us =
          Math.max(us, Math.floorDiv(audioSamples.endPts() * 1_000_000L, audioSamples.timescale()));
    }
    return us;
  }
}
