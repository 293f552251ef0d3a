package org.reelbox.encoder.pkg;

import java.nio.file.Path;
import java.util.List;
import org.reelbox.encoder.backend.TaskControl;
import org.reelbox.encoder.backend.TaskFailedException;

/**
 * Finds the keyframes of an MPEG-TS segment, for the I-frame playlist. A seam of one method so that
 * the ffprobe-based finder ({@code FfprobeKeyframeIndex}) can give way to the media module's TS
 * scanner without touching the packager.
 */
@FunctionalInterface
public interface KeyframeIndex {

  /** The keyframes of {@code segment} in order; an empty list when it has none. */
  List<Keyframe> keyframes(Path segment, TaskControl control) throws TaskFailedException;

  /**
   * One keyframe: where its bytes are in the segment file and when it is shown.
   *
   * @param offsetBytes the first byte of the TS packets that carry it (PAT/PMT included for the
   *     segment's first keyframe)
   * @param lengthBytes up to the start of the next video frame
   * @param ptsUs its presentation time
   */
  record Keyframe(long offsetBytes, long lengthBytes, long ptsUs) {}
}
