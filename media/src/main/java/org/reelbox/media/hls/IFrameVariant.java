package org.reelbox.media.hls;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.hls.Checks.checkArgument;
import static org.reelbox.media.hls.Checks.checkCodecs;
import static org.reelbox.media.hls.Checks.checkQuotedString;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An {@code EXT-X-I-FRAME-STREAM-INF} tag of a {@link MasterPlaylist} (RFC 8216 §4.3.4.3): an
 * I-frame media playlist for trick play. Its attributes are those of {@code EXT-X-STREAM-INF} less
 * FRAME-RATE, AUDIO and SUBTITLES, plus the URI, a quoted-string.
 *
 * @param uri {@code URI}, the I-frame media playlist
 * @param bandwidthBps {@code BANDWIDTH} in bits per second, above 0
 * @param averageBandwidthBps {@code AVERAGE-BANDWIDTH} in bits per second, above 0, if known
 * @param codecs {@code CODECS}, empty to omit
 * @param resolution {@code RESOLUTION}, if known
 */
public record IFrameVariant(
    String uri,
    long bandwidthBps,
    OptionalLong averageBandwidthBps,
    List<String> codecs,
    Optional<Resolution> resolution) {

  public IFrameVariant {
    checkQuotedString("uri", uri);
    checkArgument(bandwidthBps > 0, "bandwidthBps must be greater than 0: %s", bandwidthBps);
    requireNonNull(averageBandwidthBps, "averageBandwidthBps");
    averageBandwidthBps.ifPresent(
        bps -> checkArgument(bps > 0, "averageBandwidthBps must be greater than 0: %s", bps));
    codecs = checkCodecs(codecs);
    requireNonNull(resolution, "resolution");
  }
}
