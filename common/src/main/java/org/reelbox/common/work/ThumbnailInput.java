package org.reelbox.common.work;

import static java.util.Objects.requireNonNull;

/**
 * Input of a {@link TaskType#THUMBNAIL} task. Without {@code image}, {@code count} frames are
 * picked spread over the video, skipping near-black and near-uniform ones; with it, the creator's
 * image is used (as thumbnail 0). Each is written in the sizes of {@link
 * BlobLayout#THUMBNAIL_SIZES}. Output: {@link ThumbnailOutput}.
 *
 * @param videoId the video
 * @param sourceKey the original
 * @param count thumbnails to pick, 1–10
 * @param image the creator's image (a blob key of a JPEG or PNG), or {@code null}
 * @param source what inspect found
 */
public record ThumbnailInput(
    String videoId, String sourceKey, int count, String image, MediaInfo source) {
  public ThumbnailInput {
    requireNonNull(videoId, "videoId");
    requireNonNull(sourceKey, "sourceKey");
    requireNonNull(source, "source");
  }
}
