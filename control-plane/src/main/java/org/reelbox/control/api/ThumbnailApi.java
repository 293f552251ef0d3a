package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.control.content.ContentPublisher;
import org.reelbox.control.content.ThumbnailImages;
import org.reelbox.control.pipeline.OptionsException;
import org.reelbox.control.pipeline.PlanOptions;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoPatch;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.work.PlanOptionsJson;
import org.reelbox.control.work.ProfileCatalog;

/**
 * {@code PUT /api/v1/videos/{id}/thumbnail}: a creator's own thumbnail (owner or admin), behind
 * {@link ApiKeyAuth}. The body is a JPEG ({@code image/jpeg}) or PNG ({@code image/png}) of at most
 * 5 MiB and 4096×4096 pixels, decoded to check it. It is stored as {@code
 * originals/{id}/thumbnail.{jpg|png}} and becomes the video's {@code thumbnailImage} plan option:
 *
 * <ul>
 *   <li>while the upload is not complete (no job yet), the job is planned with it and the encoder's
 *       thumbnail task renders it;
 *   <li>once the video is READY, it is rendered now over the published thumbnail 0 of every size;
 *   <li>in between (the job may have run its thumbnail task already), the completion handler
 *       renders it when it marks the video READY ({@link ContentPublisher}).
 * </ul>
 *
 * Answers 200 {@code {"thumbnailImage", "width", "height", "rendered"}}; {@code rendered} tells
 * whether the published thumbnails already show it. Errors: another content type, 415 {@code
 * UNSUPPORTED_MEDIA_TYPE}; too large a body, 413 {@code PAYLOAD_TOO_LARGE}; a body that does not
 * decode as the declared format, or too many pixels, or a profile without thumbnails, 400 {@code
 * VALIDATION_FAILED}.
 */
public final class ThumbnailApi {
  private final MetadataStore store;
  private final BlobStore blobs;
  private final ProfileCatalog profiles;
  private final ContentPublisher publisher;

  public ThumbnailApi(
      MetadataStore store, BlobStore blobs, ProfileCatalog profiles, ContentPublisher publisher) {
    this.store = requireNonNull(store, "store");
    this.blobs = requireNonNull(blobs, "blobs");
    this.profiles = requireNonNull(profiles, "profiles");
    this.publisher = requireNonNull(publisher, "publisher");
  }

  /** Mounts the route; the router must already authenticate {@code /api/*}. */
  public void mount(Router router) {
    router.put("/api/v1/videos/:id/thumbnail").handler(this::put);
  }

  private void put(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    ThumbnailImages.Format format =
        ThumbnailImages.Format.ofContentType(ctx.request().getHeader("Content-Type"));
    if (format == null) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a thumbnail must be sent as image/jpeg or image/png");
    }
    Buffer body = ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    if (bytes.length > ThumbnailImages.MAX_BYTES) {
      throw new ApiException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "a thumbnail image may be at most "
              + ThumbnailImages.MAX_BYTES
              + " bytes, got "
              + bytes.length);
    }
    ApiSupport.blocking(
            ctx,
            () -> {
              Video video = VideosApi.ownedVideo(store, user, id);
              BufferedImage image;
              try {
                // On a worker thread: decoding a 4096² image takes a while.
                image = ThumbnailImages.decode(bytes, format);
              } catch (IllegalArgumentException e) {
                throw JsonBody.invalid(e.getMessage());
              }
              String key = BlobLayout.thumbnailImageKey(id.value(), format.extension());
              PlanOptions options =
                  PlanOptionsJson.read(video.planOptions()).withThumbnailImage(key);
              try {
                // The profile must have a thumbnail node; checked before anything is stored.
                profiles.plan(video.profile(), options);
              } catch (OptionsException e) {
                throw e.toApiException();
              }
              blobs.put(key, new ByteArrayInputStream(bytes), bytes.length);
              for (ThumbnailImages.Format other : ThumbnailImages.Format.values()) {
                if (other != format) {
                  blobs.delete(BlobLayout.thumbnailImageKey(id.value(), other.extension()));
                }
              }
              store
                  .updateVideoMetadata(
                      id, VideoPatch.NONE.withPlanOptions(PlanOptionsJson.write(options)))
                  .orElseThrow(VideosApi::notFound);
              // Re-read: READY may have come meanwhile, and the completion handler may have
              // rendered the previous image.
              boolean rendered = false;
              if (store.findVideo(id).map(v -> v.state() == VideoState.READY).orElse(false)) {
                publisher.renderThumbnail(id, key);
                rendered = true;
              }
              Map<String, Object> json = new LinkedHashMap<>();
              json.put("thumbnailImage", key);
              json.put("width", image.getWidth());
              json.put("height", image.getHeight());
              json.put("rendered", rendered);
              return json;
            })
        .onFailure(ctx::fail)
        .onSuccess(json -> ApiSupport.sendJson(ctx, 200, json));
  }
}
