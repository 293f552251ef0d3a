package org.reelbox.media.hls;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.hls.Checks.checkArgument;
import static org.reelbox.media.hls.Checks.checkCodecs;
import static org.reelbox.media.hls.Checks.checkQuotedString;
import static org.reelbox.media.hls.Checks.checkUriLine;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A variant stream of a {@link MasterPlaylist}: an {@code EXT-X-STREAM-INF} tag and the URI line of
 * its media playlist (RFC 8216 §4.3.4.2).
 *
 * @param uri the media playlist's URI line
 * @param bandwidthBps {@code BANDWIDTH}, the peak segment bit rate in bits per second, above 0
 * @param averageBandwidthBps {@code AVERAGE-BANDWIDTH} in bits per second, above 0, if known
 * @param codecs {@code CODECS}: RFC 6381 codec strings (see {@link Codecs}); empty to omit
 * @param resolution {@code RESOLUTION}, if the variant has video
 * @param frameRate {@code FRAME-RATE}, the maximum frame rate in frames per second; §4.3.4.2 has it
 *     rounded to three decimal places, and it is rounded so here, so that it survives a write and a
 *     parse unchanged
 * @param audioGroupId {@code AUDIO}: the GROUP-ID of the AUDIO renditions to play with it
 * @param subtitlesGroupId {@code SUBTITLES}: the GROUP-ID of its SUBTITLES renditions
 */
public record Variant(
    String uri,
    long bandwidthBps,
    OptionalLong averageBandwidthBps,
    List<String> codecs,
    Optional<Resolution> resolution,
    OptionalDouble frameRate,
    Optional<String> audioGroupId,
    Optional<String> subtitlesGroupId) {

  public Variant {
    checkUriLine("uri", uri);
    checkArgument(bandwidthBps > 0, "bandwidthBps must be greater than 0: %s", bandwidthBps);
    requireNonNull(averageBandwidthBps, "averageBandwidthBps");
    averageBandwidthBps.ifPresent(
        bps -> checkArgument(bps > 0, "averageBandwidthBps must be greater than 0: %s", bps));
    codecs = checkCodecs(codecs);
    requireNonNull(resolution, "resolution");
    frameRate = roundFrameRate(requireNonNull(frameRate, "frameRate"));
    requireNonNull(audioGroupId, "audioGroupId").ifPresent(id -> checkQuotedString("AUDIO", id));
    requireNonNull(subtitlesGroupId, "subtitlesGroupId")
        .ifPresent(id -> checkQuotedString("SUBTITLES", id));
  }

  private static OptionalDouble roundFrameRate(OptionalDouble frameRate) {
    if (frameRate.isEmpty()) {
      return frameRate;
    }
    double fps = frameRate.getAsDouble();
    checkArgument(Double.isFinite(fps) && fps > 0, "frameRate must be greater than 0: %s", fps);
    double rounded = Math.round(fps * 1000) / 1000.0;
    checkArgument(rounded > 0, "frameRate rounds to 0 at three decimals: %s", fps);
    return OptionalDouble.of(rounded);
  }

  public static Builder builder(String uri, long bandwidthBps) {
    return new Builder(uri, bandwidthBps);
  }

  /**
   * Builds a {@link Variant}. Defaults: no AVERAGE-BANDWIDTH, CODECS, RESOLUTION, FRAME-RATE, AUDIO
   * or SUBTITLES.
   */
  public static final class Builder {
    private final String uri;
    private final long bandwidthBps;
    private OptionalLong averageBandwidthBps = OptionalLong.empty();
    private List<String> codecs = List.of();
    private Optional<Resolution> resolution = Optional.empty();
    private OptionalDouble frameRate = OptionalDouble.empty();
    private Optional<String> audioGroupId = Optional.empty();
    private Optional<String> subtitlesGroupId = Optional.empty();

    private Builder(String uri, long bandwidthBps) {
      this.uri = uri;
      this.bandwidthBps = bandwidthBps;
    }

    public Builder averageBandwidthBps(long averageBandwidthBps) {
      this.averageBandwidthBps = OptionalLong.of(averageBandwidthBps);
      return this;
    }

    public Builder codecs(List<String> codecs) {
      this.codecs = requireNonNull(codecs, "codecs");
      return this;
    }

    public Builder codecs(String... codecs) {
      return codecs(List.of(codecs));
    }

    public Builder resolution(int width, int height) {
      this.resolution = Optional.of(new Resolution(width, height));
      return this;
    }

    public Builder frameRate(double frameRate) {
      this.frameRate = OptionalDouble.of(frameRate);
      return this;
    }

    public Builder audioGroupId(String audioGroupId) {
      this.audioGroupId = Optional.of(audioGroupId);
      return this;
    }

    public Builder subtitlesGroupId(String subtitlesGroupId) {
      this.subtitlesGroupId = Optional.of(subtitlesGroupId);
      return this;
    }

    public Variant build() {
      return new Variant(
          uri,
          bandwidthBps,
          averageBandwidthBps,
          codecs,
          resolution,
          frameRate,
          audioGroupId,
          subtitlesGroupId);
    }
  }
}
