package org.reelbox.media.hls;

/** The value of {@code EXT-X-PLAYLIST-TYPE} (RFC 8216 §4.3.3.5). */
public enum PlaylistType {
  /** The playlist cannot change. */
  VOD,
  /** Segments can only be appended to the playlist. */
  EVENT
}
