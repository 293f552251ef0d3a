package org.reelbox.media.hls;

/**
 * An HLS playlist (RFC 8216 §4): either a {@link MediaPlaylist}, which lists the segments of one
 * rendition, or a {@link MasterPlaylist}, which lists the variant streams and renditions of a
 * presentation.
 */
public sealed interface Playlist permits MediaPlaylist, MasterPlaylist {

  /** The compatibility version written as {@code EXT-X-VERSION} (RFC 8216 §4.3.1.2, §7). */
  int version();

  /** Whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present (RFC 8216 §4.3.5.1). */
  boolean independentSegments();
}
