package org.reelbox.control.content;

import static java.util.Objects.requireNonNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.work.PlanOptionsJson;
import org.reelbox.control.work.PublishListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the control plane adds to a video's published HLS once it is READY: its subtitle tracks in
 * the master playlist ({@link SubtitlePublisher}), and a thumbnail image the creator uploaded after
 * the job had planned without it, rendered over the encoder's thumbnail 0.
 *
 * <p>Idempotent: both writes are the same bytes each time. A creator's image is rendered whenever
 * the video's plan options name one, even when the job had it too and the encoder rendered it: the
 * image may have been replaced after the thumbnail task ran, and one decode and three resizes on
 * READY cost little.
 */
public final class ContentPublisher implements PublishListener {
  private static final Logger log = LoggerFactory.getLogger(ContentPublisher.class);

  private final MetadataStore store;
  private final BlobStore blobs;
  private final SubtitlePublisher subtitles;

  public ContentPublisher(MetadataStore store, BlobStore blobs, SubtitlePublisher subtitles) {
    this.store = requireNonNull(store, "store");
    this.blobs = requireNonNull(blobs, "blobs");
    this.subtitles = requireNonNull(subtitles, "subtitles");
  }

  @Override
  public void published(VideoId videoId) throws IOException {
    Optional<Video> found = store.findVideo(videoId);
    if (found.isEmpty()) {
      return;
    }
    Video video = found.get();
    if (subtitles.publish(video)) {
      log.info("video {}: subtitle tracks published in its master playlist", videoId);
    }
    Optional<String> image = PlanOptionsJson.read(video.planOptions()).thumbnailImage();
    if (image.isPresent()) {
      renderThumbnail(videoId, image.get());
      log.info("video {}: the creator's thumbnail rendered over the picked one", videoId);
    }
  }

  /**
   * Renders a stored thumbnail image ({@code originals/{id}/thumbnail.{jpg|png}}) into the
   * published thumbnail sizes.
   */
  public void renderThumbnail(VideoId videoId, String imageKey) throws IOException {
    ThumbnailImages.Format format =
        imageKey.endsWith(".png") ? ThumbnailImages.Format.PNG : ThumbnailImages.Format.JPEG;
    byte[] bytes;
    try (InputStream in = blobs.get(imageKey)) {
      bytes = in.readNBytes(ThumbnailImages.MAX_BYTES + 1);
    }
    BufferedImage image = ThumbnailImages.decode(bytes, format);
    for (ThumbnailImages.Rendered r : ThumbnailImages.render(videoId.value(), image)) {
      blobs.put(r.key(), new ByteArrayInputStream(r.jpeg()), r.jpeg().length);
    }
  }

  /** The subtitle publisher; for the API. */
  public SubtitlePublisher subtitles() {
    return subtitles;
  }
}
