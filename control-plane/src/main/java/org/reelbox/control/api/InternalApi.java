package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.TransitionResult;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.store.VideoTransition;
import org.reelbox.control.work.ResourceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /internal/*}: what other roles tell the control plane, behind {@link ClusterAuthHandler}.
 *
 * <p>{@code POST /internal/videos/{id}/uploaded} {@code {"sizeBytes", "sha256"}} (docs/upload.md
 * §3): ingest has committed the original. Delivery is at least once, so the answer is 200 whenever
 * the upload is (or was) applied:
 *
 * <ul>
 *   <li>UPLOADING → UPLOADED now, or already UPLOADED: 200 {@code {"id", "state": "UPLOADED"}};
 *   <li>already past UPLOADED (PROCESSING, READY: states only an applied upload leads to): 200 with
 *       that state, so a late duplicate is acknowledged, not an error;
 *   <li>FAILED: 409 {@code CONFLICT}, the upload can no longer be applied;
 *   <li>no such video (or a malformed id): 404 {@code NOT_FOUND}.
 * </ul>
 *
 * The change is published to the video's event streams by the notifying store.
 *
 * <p>{@code GET /internal/videos/{id}/playback} (docs/streaming.md, "Just in time"): what the
 * origin needs to decide whether to package a video's original on request: 200 {@code {"id",
 * "state", "playable", "renditions"}}, where {@code playable} is what the public video API says
 * (transcoded HLS is published: READY, or an early package of a PROCESSING video) and {@code
 * renditions} the early-published ones (empty otherwise); 404 {@code NOT_FOUND} for an unknown or
 * malformed id. Videos have no visibility setting yet, so there is nothing about tokens here: the
 * origin applies its own {@code requireTokens}.
 */
public final class InternalApi {
  private static final Logger log = LoggerFactory.getLogger(InternalApi.class);

  private static final Set<String> UPLOADED_FIELDS = Set.of("sizeBytes", "sha256");

  private final MetadataStore store;
  private final ResourceManager work;

  /**
   * @param work gets the job of every applied (or repeated) upload; creating it is idempotent
   */
  public InternalApi(MetadataStore store, ResourceManager work) {
    this.store = requireNonNull(store, "store");
    this.work = requireNonNull(work, "work");
  }

  /** Mounts the routes; the router must already check cluster auth on {@code /internal/*}. */
  public void mount(Router router) {
    router.post("/internal/videos/:id/uploaded").handler(this::uploaded);
    router.get("/internal/videos/:id/playback").handler(this::playback);
  }

  private void playback(RoutingContext ctx) {
    VideoId id = VideosApi.videoId(ctx);
    ApiSupport.blocking(
            ctx,
            () -> {
              Video video = store.findVideo(id).orElseThrow(VideosApi::notFound);
              List<String> early = VideosApi.earlyRenditions(video, work.progress(id));
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("id", video.id().value());
              answer.put("state", video.state().name());
              answer.put("playable", VideosApi.playable(video, early));
              answer.put("renditions", early);
              return answer;
            })
        .onFailure(ctx::fail)
        .onSuccess(answer -> ApiSupport.sendJson(ctx, 200, answer));
  }

  private void uploaded(RoutingContext ctx) {
    VideoId id = VideosApi.videoId(ctx);
    JsonBody body = JsonBody.of(ctx).allowOnly(UPLOADED_FIELDS);
    long sizeBytes = body.requiredLong("sizeBytes");
    // Hex is case-insensitive; the store keeps lower case.
    String sha256 = body.requiredString("sha256").toLowerCase(Locale.ROOT);
    VideoTransition transition;
    try {
      transition = VideoTransition.uploaded(id, sizeBytes, sha256);
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(e.getMessage());
    }
    ApiSupport.blocking(
            ctx,
            () -> {
              TransitionResult result = store.transitionVideo(transition);
              // Acknowledged only once the job exists (durably): ingest retries until then, and a
              // repeat finds the job there. An upload applied before a crash gets its job here
              // or from the start-up sweep.
              if (result.succeeded()) {
                work.uploaded(result.video());
              }
              return result;
            })
        .onFailure(ctx::fail)
        .onSuccess(result -> answer(ctx, transition, result));
  }

  private static void answer(
      RoutingContext ctx, VideoTransition transition, TransitionResult result) {
    switch (result.outcome()) {
      case NOT_FOUND -> ctx.fail(VideosApi.notFound());
      case APPLIED -> {
        log.info("video {} uploaded ({} bytes)", transition.videoId(), transition.sizeBytes());
        ok(ctx, result.video());
      }
      case ALREADY_IN_STATE -> {
        warnIfDifferent(transition, result.video());
        ok(ctx, result.video());
      }
      case REFUSED -> {
        Video video = result.video();
        if (video.state() == VideoState.PROCESSING || video.state() == VideoState.READY) {
          warnIfDifferent(transition, video);
          ok(ctx, video);
        } else {
          ctx.fail(
              new ApiException(
                  ErrorCode.CONFLICT,
                  "video " + video.id() + " is " + video.state() + " and cannot become UPLOADED"));
        }
      }
    }
  }

  // A duplicate that disagrees with what was recorded means two uploads of one video, or a bug;
  // the first one stands either way.
  private static void warnIfDifferent(VideoTransition transition, Video video) {
    if (!Objects.equals(transition.sizeBytes(), video.sizeBytes())
        || !Objects.equals(transition.sha256(), video.sha256())) {
      log.warn(
          "video {}: repeated upload notice ({} bytes, sha256 {}) differs from the recorded one"
              + " ({} bytes, sha256 {}); keeping the recorded one",
          video.id(),
          transition.sizeBytes(),
          transition.sha256(),
          video.sizeBytes(),
          video.sha256());
    }
  }

  private static void ok(RoutingContext ctx, Video video) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", video.id().value());
    answer.put("state", video.state().name());
    ApiSupport.sendJson(ctx, 200, answer);
  }
}
