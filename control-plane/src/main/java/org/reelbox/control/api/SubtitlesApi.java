package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.common.work.BlobLayout;
import org.reelbox.control.content.SubtitlePublisher;
import org.reelbox.control.content.SubtitleStore;
import org.reelbox.control.content.SubtitleTrack;
import org.reelbox.control.content.WebVtt;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;

/**
 * A video's subtitle tracks (docs/web-ui.md, "Content APIs the pages use"), behind {@link
 * ApiKeyAuth}:
 *
 * <ul>
 *   <li>{@code PUT /api/v1/videos/{id}/subtitles/{lang}?name=…} with a WebVTT body ({@code
 *       Content-Type: text/vtt}, at most {@value WebVtt#MAX_BYTES} bytes, UTF-8, starting with
 *       {@code WEBVTT}): 201 with the track when new, 200 when it replaced one. {@code lang} is
 *       lower-cased and must be a tag as {@code en} or {@code pt-br}; {@code name} (at most 64
 *       characters) defaults to the language's English name. Owner or admin.
 *   <li>{@code GET /api/v1/videos/{id}/subtitles}: {@code {"subtitles": [track…]}}; anyone who may
 *       read the video.
 *   <li>{@code DELETE /api/v1/videos/{id}/subtitles/{lang}}: 204; 404 when there is no such track.
 *       Owner or admin.
 * </ul>
 *
 * The file is stored as {@code hls/{id}/subs/{lang}/0.vtt}; once the video is READY, every change
 * re-publishes the master playlist ({@link SubtitlePublisher}). Before that, the completion handler
 * publishes the tracks when it marks the video READY.
 *
 * <p>Errors: a body that is not WebVTT, a bad language or name, 400 {@code VALIDATION_FAILED}; any
 * other content type, 415 {@code UNSUPPORTED_MEDIA_TYPE}; a body too large, 413 {@code
 * PAYLOAD_TOO_LARGE}; a video the caller may not see, 404; one they may see but not change, 403.
 */
public final class SubtitlesApi {
  private final MetadataStore store;
  private final SubtitleStore subtitles;
  private final SubtitlePublisher publisher;
  private final BlobStore blobs;

  public SubtitlesApi(
      MetadataStore store, SubtitleStore subtitles, SubtitlePublisher publisher, BlobStore blobs) {
    this.store = requireNonNull(store, "store");
    this.subtitles = requireNonNull(subtitles, "subtitles");
    this.publisher = requireNonNull(publisher, "publisher");
    this.blobs = requireNonNull(blobs, "blobs");
  }

  /** Mounts the routes; the router must already authenticate {@code /api/*}. */
  public void mount(Router router) {
    router.put("/api/v1/videos/:id/subtitles/:lang").handler(this::put);
    router.get("/api/v1/videos/:id/subtitles").handler(this::list);
    router.delete("/api/v1/videos/:id/subtitles/:lang").handler(this::delete);
  }

  private void put(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    String language = language(ctx);
    List<String> names = ctx.queryParam("name");
    if (names.size() > 1) {
      throw JsonBody.invalid("name must be given at most once");
    }
    String name = names.isEmpty() ? SubtitleTrack.defaultName(language) : names.get(0).strip();
    check(() -> SubtitleTrack.checkName(name));
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null
        || !contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals("text/vtt")) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "a subtitle track must be sent as text/vtt");
    }
    Buffer body = ctx.body().buffer();
    byte[] raw = body == null ? new byte[0] : body.getBytes();
    if (raw.length > WebVtt.MAX_BYTES + 3) {
      throw new ApiException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "a WebVTT file may be at most " + WebVtt.MAX_BYTES + " bytes, got " + raw.length);
    }
    byte[] vtt = check(() -> WebVtt.check(raw));
    ApiSupport.blocking(
            ctx,
            () -> {
              Video video = VideosApi.ownedVideo(store, user, id);
              // The file before the row: a listed track always has its file.
              blobs.put(
                  BlobLayout.subtitleKey(id.value(), language),
                  new ByteArrayInputStream(vtt),
                  vtt.length);
              SubtitleStore.Put put = subtitles.put(id, language, name, vtt.length);
              republishIfReady(id);
              return put;
            })
        .onFailure(ctx::fail)
        .onSuccess(put -> ApiSupport.sendJson(ctx, put.created() ? 201 : 200, json(put.track())));
  }

  private void list(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    ApiSupport.blocking(
            ctx,
            () -> {
              VideosApi.readableVideo(store, user, id);
              List<Map<String, Object>> tracks = new ArrayList<>();
              for (SubtitleTrack t : subtitles.list(id)) {
                tracks.add(json(t));
              }
              return Map.of("subtitles", tracks);
            })
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  private void delete(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    String language = language(ctx);
    ApiSupport.blocking(
            ctx,
            () -> {
              VideosApi.ownedVideo(store, user, id);
              if (!subtitles.delete(id, language)) {
                throw new ApiException(
                    ErrorCode.NOT_FOUND, "video " + id + " has no " + language + " subtitles");
              }
              // The master stops naming the track before its files go.
              republishIfReady(id);
              publisher.deleteTrackFiles(id, language);
              return null;
            })
        .onFailure(ctx::fail)
        .onSuccess(nothing -> ctx.response().setStatusCode(204).end());
  }

  // Re-read after the change: the state may have become READY meanwhile, and then the completion
  // handler's publication may have missed this change (see SubtitlePublisher, "Concurrency").
  private void republishIfReady(VideoId id) throws java.io.IOException {
    Video now = store.findVideo(id).orElseThrow(VideosApi::notFound);
    if (now.state() == VideoState.READY) {
      publisher.publish(now);
    }
  }

  private static String language(RoutingContext ctx) {
    String language = ctx.pathParam("lang").toLowerCase(Locale.ROOT);
    return check(() -> SubtitleTrack.checkLanguage(language));
  }

  private static Map<String, Object> json(SubtitleTrack t) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("language", t.language());
    json.put("name", t.name());
    json.put("sizeBytes", t.sizeBytes());
    json.put("createdAt", t.createdAt());
    json.put("updatedAt", t.updatedAt());
    return json;
  }

  private static <T> T check(java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(e.getMessage());
    }
  }
}
