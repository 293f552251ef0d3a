package org.reelbox.common.playback;

/** What a playback path names; each kind has its content type and caching rule. */
public enum ObjectKind {
  MASTER_PLAYLIST("playlist", "application/vnd.apple.mpegurl"),
  MEDIA_PLAYLIST("playlist", "application/vnd.apple.mpegurl"),
  IFRAME_PLAYLIST("playlist", "application/vnd.apple.mpegurl"),
  SEGMENT("segment", "video/mp2t"),
  THUMBNAIL("thumbnail", "image/jpeg"),
  /** The one-segment media playlist of a subtitle track ({@code subs/{lang}/index.m3u8}). */
  SUBTITLE_PLAYLIST("playlist", "application/vnd.apple.mpegurl"),
  /**
   * A WebVTT subtitle segment (RFC 8216 §3.5); a creator may replace it, so it is not immutable.
   */
  SUBTITLE("subtitle", "text/vtt; charset=utf-8"),
  /** An AES-128 content key (RFC 8216 §4.3.2.4): 16 raw bytes. */
  KEY("key", "application/octet-stream");

  private final String metricTag;
  private final String contentType;

  ObjectKind(String metricTag, String contentType) {
    this.metricTag = metricTag;
    this.contentType = contentType;
  }

  /** The value of the {@code kind} tag on the origin's meters. */
  public String metricTag() {
    return metricTag;
  }

  public String contentType() {
    return contentType;
  }

  public boolean isPlaylist() {
    return metricTag.equals("playlist");
  }

  /**
   * Whether the object may change in place under the same path, so caches revalidate it rather than
   * keep it forever: playlists (a master gains renditions and subtitle tracks), subtitles (a
   * creator replaces a track) and thumbnails (a creator uploads their own image after the video is
   * READY, and it is rendered over the picked one). Segments and keys never change once written.
   */
  public boolean isMutable() {
    return isPlaylist() || this == SUBTITLE || this == THUMBNAIL;
  }
}
