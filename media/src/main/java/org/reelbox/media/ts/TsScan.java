package org.reelbox.media.ts;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.ts.Checks.checkArgument;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@link TsScanner} found in a transport stream.
 *
 * <p>Timestamps are 90 kHz ticks on one unwrapped timeline: the first timestamp of the stream is
 * taken as written, and every later one is placed at the multiple of 2^33 nearest the one before,
 * so a stream that wraps past 2^33 keeps counting up (values may exceed 2^33, and a timestamp a
 * little before the first across a wrap may be negative).
 *
 * @param sizeBytes the bytes read, a multiple of 188
 * @param streams the elementary streams of the first program's first PMT, in PMT order; empty if
 *     there was none
 * @param videoPid the PID of the first video stream in the PMT ({@link
 *     ElementaryStream#isVideo()}), if any
 * @param audioPid the PID of the first audio stream in the PMT ({@link
 *     ElementaryStream#isAudio()}), if any
 * @param accessUnits the video access units in stream (decode) order; empty when the scan was
 *     streamed to a consumer ({@link TsScanner#scan(java.io.InputStream,
 *     java.util.function.Consumer)})
 * @param accessUnitCount how many video access units there were
 * @param keyframeCount how many of them were keyframes
 * @param firstVideoPts90k the earliest video PTS, if there was video
 * @param videoDuration90k the presentation span of the video: from the earliest PTS to the latest
 *     PTS plus one frame duration (the last DTS step; 0 with a single frame); 0 without video
 * @param firstAudioPts90k the PTS of the first audio PES, if any
 * @param lastAudioPts90k the PTS of the last audio PES, if any
 * @param continuityErrors how many packets had a continuity_counter that was neither the next value
 *     nor a repeat (§2.4.3.3) without a discontinuity_indicator: lost or reordered packets
 */
public record TsScan(
    long sizeBytes,
    List<ElementaryStream> streams,
    OptionalInt videoPid,
    OptionalInt audioPid,
    List<VideoAccessUnit> accessUnits,
    long accessUnitCount,
    long keyframeCount,
    OptionalLong firstVideoPts90k,
    long videoDuration90k,
    OptionalLong firstAudioPts90k,
    OptionalLong lastAudioPts90k,
    long continuityErrors) {

  public TsScan {
    checkArgument(sizeBytes >= 0, "sizeBytes must not be negative: %s", sizeBytes);
    streams = List.copyOf(streams);
    requireNonNull(videoPid, "videoPid");
    requireNonNull(audioPid, "audioPid");
    accessUnits = List.copyOf(accessUnits);
    checkArgument(
        videoDuration90k >= 0, "videoDuration90k must not be negative: %s", videoDuration90k);
    requireNonNull(firstVideoPts90k, "firstVideoPts90k");
    requireNonNull(firstAudioPts90k, "firstAudioPts90k");
    requireNonNull(lastAudioPts90k, "lastAudioPts90k");
  }

  /** {@link #videoDuration90k()} in microseconds, rounded to the nearest. */
  public long videoDurationUs() {
    return Timestamps.ticksToUs(videoDuration90k);
  }

  /** The access units that are keyframes, in order. */
  public List<VideoAccessUnit> keyframes() {
    return accessUnits.stream().filter(VideoAccessUnit::keyframe).toList();
  }

  /** The stream with this PID, if the PMT lists it. */
  public Optional<ElementaryStream> stream(int pid) {
    return streams.stream().filter(s -> s.pid() == pid).findFirst();
  }
}
