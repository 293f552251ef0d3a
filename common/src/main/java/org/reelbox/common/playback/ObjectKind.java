package org.reelbox.common.playback;

/** What a playback path names; each kind has its content type and caching rule. */
public enum ObjectKind {
  MASTER_PLAYLIST("playlist", "application/vnd.apple.mpegurl"),
  MEDIA_PLAYLIST("playlist", "application/vnd.apple.mpegurl"),
  IFRAME_PLAYLIST("playlist", "application/vnd.apple.mpegurl"),
  SEGMENT("segment", "video/mp2t"),
  THUMBNAIL("thumbnail", "image/jpeg"),
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
}
