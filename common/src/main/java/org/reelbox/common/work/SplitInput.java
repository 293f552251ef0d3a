package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * Input of a {@link TaskType#SPLIT} task: cut the source's first video stream, by stream copy, at
 * keyframes, into chunks of about {@code chunkSeconds} each (a chunk is longer when the source's
 * keyframes are further apart). Output: {@link SplitOutput}.
 *
 * @param sourceKey the original
 * @param chunkSeconds the target chunk length
 * @param videoId the video; chunk {@code i} goes to {@link BlobLayout#chunkKey(String, int)}
 * @param source what inspect found
 */
public record SplitInput(String sourceKey, int chunkSeconds, String videoId, MediaInfo source) {
  public SplitInput {
    requireNonNull(sourceKey, "sourceKey");
    requireNonNull(videoId, "videoId");
    requireNonNull(source, "source");
  }
}
