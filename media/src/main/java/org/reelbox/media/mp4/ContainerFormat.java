package org.reelbox.media.mp4;

import static java.util.Objects.requireNonNull;

/** The container a file is in, told from its first bytes. */
public enum ContainerFormat {
  /** ISO base media (MP4, MOV, M4V, 3GP): a box header, {@code ftyp}, {@code moov}, ... first. */
  MP4,
  /** Matroska or WebM: the EBML magic 1A 45 DF A3. */
  MATROSKA,
  /** MPEG-2 transport stream: the sync byte 0x47 every 188 bytes. */
  MPEG_TS,
  /** Anything else, including empty input. */
  UNKNOWN;

  /** How many leading bytes {@link #sniff} looks at, at most. */
  public static final int SNIFF_BYTES = 2 * 188 + 1;

  /**
   * Tells the container from the first {@code length} bytes of {@code head} (give it {@link
   * #SNIFF_BYTES} when the file has them). MP4 is recognised by a plausible first box: a known
   * top-level type with a size of at least 8 (or 0 or 1, the two special sizes).
   */
  public static ContainerFormat sniff(byte[] head, int length) {
    requireNonNull(head, "head");
    int n = Math.min(length, head.length);
    if (n >= 4
        && (head[0] & 0xFF) == 0x1A
        && (head[1] & 0xFF) == 0x45
        && (head[2] & 0xFF) == 0xDF
        && (head[3] & 0xFF) == 0xA3) {
      return MATROSKA;
    }
    if (n >= 189 && head[0] == 0x47 && head[188] == 0x47) {
      return MPEG_TS;
    }
    if (n >= 8) {
      long size =
          ((long) (head[0] & 0xFF) << 24)
              | ((head[1] & 0xFF) << 16)
              | ((head[2] & 0xFF) << 8)
              | (head[3] & 0xFF);
      String type = new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      if ((size == 0 || size == 1 || size >= 8) && Mp4Boxes.TOP_LEVEL_TYPES.contains(type)) {
        return MP4;
      }
    }
    return UNKNOWN;
  }
}
