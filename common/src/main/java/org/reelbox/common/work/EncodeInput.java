package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Input of an {@link TaskType#ENCODE} task: one chunk into one rendition, with the fused per-frame
 * filters applied between decode and encode. Output: {@link EncodeOutput}, stored at {@code
 * outputKey}.
 *
 * @param videoId the video
 * @param chunk the chunk to encode (from the split output)
 * @param rendition the target
 * @param preset the x264 preset ({@code veryfast}); hardware encoders map it to their nearest
 * @param keyframeSeconds the HLS segment length: a keyframe is forced at every multiple of it on
 *     the source timeline (and at the chunk start), so every rendition has keyframes at the same
 *     times and players can switch at any segment
 * @param filters the fused filters, applied in order
 * @param outputKey where the encoded chunk goes ({@link BlobLayout#encodedChunkKey})
 */
public record EncodeInput(
    String videoId,
    SplitOutput.Chunk chunk,
    RenditionSpec rendition,
    String preset,
    int keyframeSeconds,
    List<FilterSpec> filters,
    String outputKey) {
  public EncodeInput {
    requireNonNull(videoId, "videoId");
    requireNonNull(chunk, "chunk");
    requireNonNull(rendition, "rendition");
    requireNonNull(preset, "preset");
    filters = filters == null ? List.of() : List.copyOf(filters);
    requireNonNull(outputKey, "outputKey");
  }
}
