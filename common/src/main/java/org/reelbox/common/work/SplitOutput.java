package org.reelbox.common.work;

import java.util.List;

/**
 * Output of {@link TaskType#SPLIT}: the chunks in order, at least one. Chunk {@code i} is stored at
 * {@link BlobLayout#chunkKey(String, int)}.
 */
public record SplitOutput(List<Chunk> chunks) {
  public SplitOutput {
    chunks = List.copyOf(chunks);
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a split has at least one chunk");
    }
  }

  /**
   * One chunk.
   *
   * @param index 0, 1, 2, … in order
   * @param key its blob key
   * @param startMillis its first frame's time on the source's timeline (from 0)
   * @param durationMillis its duration
   * @param frames its video frame count
   * @param rotation the source's clockwise display rotation (0, 90, 180, 270), which encode must
   *     apply: a chunk's container may have no place for it (MPEG-TS has no display matrix, and
   *     HEVC no orientation SEI that ffmpeg can insert). Absent in older reports: 0.
   */
  public record Chunk(
      int index, String key, long startMillis, long durationMillis, int frames, int rotation) {
    /** A chunk of an unrotated source. */
    public Chunk(int index, String key, long startMillis, long durationMillis, int frames) {
      this(index, key, startMillis, durationMillis, frames, 0);
    }
  }
}
