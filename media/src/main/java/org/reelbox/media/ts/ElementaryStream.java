package org.reelbox.media.ts;

import static org.reelbox.media.ts.Checks.checkArgument;

/**
 * An elementary stream listed in a program map table (ISO/IEC 13818-1 §2.4.4.8).
 *
 * @param pid its PID, 0x0010-0x1FFE
 * @param streamType its stream_type (Table 2-34): 0x1B H.264, 0x24 HEVC, 0x0F AAC in ADTS, ...
 */
public record ElementaryStream(int pid, int streamType) {

  /** stream_type of HEVC video. */
  public static final int STREAM_TYPE_HEVC = 0x24;

  public ElementaryStream {
    checkArgument(pid >= 0 && pid <= 0x1FFF, "pid must be 0 to 0x1FFF: %s", pid);
    checkArgument(
        streamType >= 0 && streamType <= 0xFF, "streamType must be a byte: %s", streamType);
  }

  /** Whether the scanner reads this stream as video: H.264 or HEVC. */
  public boolean isVideo() {
    return streamType == TsMuxer.STREAM_TYPE_H264 || streamType == STREAM_TYPE_HEVC;
  }

  /**
   * Whether the scanner reads this stream as audio: AAC (ADTS 0x0F, LATM 0x11), MPEG audio (0x03,
   * 0x04), AC-3 (0x81), E-AC-3 (0x87).
   */
  public boolean isAudio() {
    return switch (streamType) {
      case 0x0F, 0x11, 0x03, 0x04, 0x81, 0x87 -> true;
      default -> false;
    };
  }
}
