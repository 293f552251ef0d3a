package org.reelbox.media.ts;

import static java.util.Objects.requireNonNull;

/**
 * One video access unit with its bytes, as {@link TsScanner#demux} hands it out: what a decoder or
 * a remuxer needs (the same NAL units can go to {@link TsMuxer#writeVideo} again).
 *
 * @param accessUnit its timestamps, keyframe flag and byte ranges
 * @param annexB the PES payload: the access unit's NAL units in Annex B byte stream format, as
 *     written (with the access unit delimiter, if the stream has one)
 */
public record VideoSample(VideoAccessUnit accessUnit, byte[] annexB) {
  public VideoSample {
    requireNonNull(accessUnit, "accessUnit");
    requireNonNull(annexB, "annexB");
  }
}
