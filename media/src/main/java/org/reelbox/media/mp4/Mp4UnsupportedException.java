package org.reelbox.media.mp4;

/**
 * A well-formed MP4 that {@link Mp4SampleReader} will not index: fragmented, a codec other than
 * H.264 or AAC, several video tracks, an edit list other than the common shapes. The message says
 * which, in words a creator can act on ("the video codec is HEVC ('hvc1'), not H.264").
 */
public final class Mp4UnsupportedException extends Exception {
  private static final long serialVersionUID = 1L;

  public Mp4UnsupportedException(String message) {
    super(message);
  }
}
