package org.reelbox.media.ts;

import static org.reelbox.media.ts.Checks.checkArgument;

/**
 * One video access unit (one PES packet on the video PID) as {@link TsScanner} found it.
 *
 * <p>Two byte ranges describe where it lies in the stream:
 *
 * <ul>
 *   <li>{@code offsetBytes}/{@code lengthBytes}: from its PES's first TS packet to the next video
 *       PES's first packet (or the end of the stream). Packets of other PIDs in between count, so
 *       consecutive access units tile the stream after the first one.
 *   <li>{@code frameOffsetBytes}/{@code frameLengthBytes}: the range an I-frame playlist (RFC 8216
 *       §4.3.3.6) points at, as Apple's tools cut it: from the PAT and PMT packets right before its
 *       first packet (when they are there, so the range decodes on its own) to the end of its last
 *       packet.
 * </ul>
 *
 * @param pts90k the presentation time, 90 kHz, on the scan's unwrapped timeline (see {@link
 *     TsScan})
 * @param dts90k the decode time, same timeline; equal to the PTS when the PES has no DTS
 * @param keyframe whether it is a random access point: random_access_indicator set on its first
 *     packet, or an IDR NAL unit (H.264 type 5; HEVC types 16-21) in its payload
 * @param offsetBytes the offset of its PES's first TS packet
 * @param lengthBytes the bytes from there to the next video PES's first packet, or to the end
 * @param frameOffsetBytes the start of its I-frame byte range, at most {@code offsetBytes}
 * @param frameLengthBytes the length of its I-frame byte range, a multiple of 188
 */
public record VideoAccessUnit(
    long pts90k,
    long dts90k,
    boolean keyframe,
    long offsetBytes,
    long lengthBytes,
    long frameOffsetBytes,
    long frameLengthBytes) {

  public VideoAccessUnit {
    checkArgument(offsetBytes >= 0, "offsetBytes must not be negative: %s", offsetBytes);
    checkArgument(lengthBytes > 0, "lengthBytes must be greater than 0: %s", lengthBytes);
    checkArgument(
        frameOffsetBytes >= 0 && frameOffsetBytes <= offsetBytes,
        "frameOffsetBytes must be from 0 to offsetBytes %s: %s",
        offsetBytes,
        frameOffsetBytes);
    checkArgument(
        frameLengthBytes > 0, "frameLengthBytes must be greater than 0: %s", frameLengthBytes);
  }
}
