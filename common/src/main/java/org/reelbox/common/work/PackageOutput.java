package org.reelbox.common.work;

import java.util.List;

/**
 * Output of {@link TaskType#PACKAGE}.
 *
 * @param masterKey {@code hls/{videoId}/master.m3u8}
 * @param durationMillis the video's duration as packaged
 * @param renditions what was written, in ladder order
 * @param encrypted whether segments are AES-128 encrypted
 */
public record PackageOutput(
    String masterKey, long durationMillis, List<PackagedRendition> renditions, boolean encrypted) {
  public PackageOutput {
    renditions = List.copyOf(renditions);
  }

  /**
   * One packaged rendition.
   *
   * @param name {@code 720p}
   * @param playlistKey its media playlist
   * @param segments how many segments
   * @param bandwidthBps the {@code BANDWIDTH} (peak segment bitrate, audio included)
   * @param averageBandwidthBps the {@code AVERAGE-BANDWIDTH}
   * @param codecs the {@code CODECS} value
   */
  public record PackagedRendition(
      String name,
      String playlistKey,
      int segments,
      long bandwidthBps,
      long averageBandwidthBps,
      String codecs) {}
}
