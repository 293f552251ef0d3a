package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Output of {@link TaskType#INSPECT}: what the source is. Only sources within the limits get this
 * far; anything else failed the task with a code.
 *
 * @param container {@code mp4} (MP4/MOV family), {@code matroska} (MKV/WebM) or {@code mpegts}
 * @param sizeBytes the original's size
 * @param durationMillis the duration of the longest stream
 * @param streamCount streams of every kind
 * @param video the first video stream
 * @param audio the first audio stream, or {@code null} when there is none (the video is packaged
 *     without audio)
 */
public record MediaInfo(
    String container,
    long sizeBytes,
    long durationMillis,
    int streamCount,
    VideoInfo video,
    AudioInfo audio) {
  public MediaInfo {
    requireNonNull(container, "container");
    requireNonNull(video, "video");
  }

  /**
   * The video stream.
   *
   * @param codec the codec name as ffprobe says it ({@code h264}, {@code hevc}, {@code vp9}, …)
   * @param profile the codec profile ({@code High}), or empty when unknown
   * @param width coded width
   * @param height coded height
   * @param rotation clockwise display rotation in degrees: 0, 90, 180 or 270
   * @param displayWidth the width as shown (after rotation and sample aspect ratio)
   * @param displayHeight the height as shown
   * @param frameRateNum the average frame rate, numerator
   * @param frameRateDen the average frame rate, denominator
   * @param bitrateBps the stream's bitrate, 0 when unknown
   * @param keyframeTimesMillis the source's keyframe times (at most a few thousand; split cuts at
   *     them), empty when not known before split
   */
  public record VideoInfo(
      String codec,
      String profile,
      int width,
      int height,
      int rotation,
      int displayWidth,
      int displayHeight,
      int frameRateNum,
      int frameRateDen,
      long bitrateBps,
      List<Long> keyframeTimesMillis) {
    public VideoInfo {
      requireNonNull(codec, "codec");
      profile = profile == null ? "" : profile;
      keyframeTimesMillis =
          keyframeTimesMillis == null ? List.of() : List.copyOf(keyframeTimesMillis);
    }
  }

  /**
   * The audio stream.
   *
   * @param codec {@code aac}, {@code opus}, {@code mp3}, …
   * @param channels channel count
   * @param sampleRateHz sample rate
   * @param bitrateBps the stream's bitrate, 0 when unknown
   */
  public record AudioInfo(String codec, int channels, int sampleRateHz, long bitrateBps) {
    public AudioInfo {
      requireNonNull(codec, "codec");
    }
  }
}
