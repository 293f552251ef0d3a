package org.reelbox.media.hls;

import static java.util.Objects.requireNonNull;
import static org.reelbox.media.hls.Checks.checkArgument;
import static org.reelbox.media.hls.Checks.checkNoControlCharacters;
import static org.reelbox.media.hls.Checks.checkUriLine;

import java.util.Optional;

/**
 * A media segment of a {@link MediaPlaylist} (RFC 8216 §3, §4.3.2): its URI line and the segment
 * tags that apply to it.
 *
 * @param uri the URI line, usually relative to the playlist (e.g. {@code 0.ts})
 * @param durationUs the {@code EXTINF} duration in microseconds, 0 or more
 * @param byteRange the {@code EXT-X-BYTERANGE} sub-range of {@code uri}, if any
 * @param discontinuity whether {@code EXT-X-DISCONTINUITY} precedes this segment (§4.3.2.3)
 * @param title the {@code EXTINF} title, empty for none
 */
public record Segment(
    String uri,
    long durationUs,
    Optional<ByteRange> byteRange,
    boolean discontinuity,
    String title) {

  public Segment {
    checkUriLine("uri", uri);
    checkArgument(durationUs >= 0, "durationUs must not be negative: %s", durationUs);
    requireNonNull(byteRange, "byteRange");
    checkNoControlCharacters("title", title);
  }

  /** A segment with only a URI and a duration. */
  public static Segment of(String uri, long durationUs) {
    return new Segment(uri, durationUs, Optional.empty(), /* discontinuity= */ false, "");
  }

  public Segment withByteRange(ByteRange byteRange) {
    return new Segment(uri, durationUs, Optional.of(byteRange), discontinuity, title);
  }

  public Segment withDiscontinuity(boolean discontinuity) {
    return new Segment(uri, durationUs, byteRange, discontinuity, title);
  }

  public Segment withTitle(String title) {
    return new Segment(uri, durationUs, byteRange, discontinuity, title);
  }
}
