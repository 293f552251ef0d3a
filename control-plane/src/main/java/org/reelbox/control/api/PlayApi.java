package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.control.content.SubtitleStore;
import org.reelbox.control.content.SubtitleTrack;
import org.reelbox.control.routing.ClientAddress;
import org.reelbox.control.routing.PlayRoute;
import org.reelbox.control.routing.PlayRouter;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.work.ResourceManager;

/**
 * Where a viewer plays a video from (docs/edges.md, "Routing"):
 *
 * <ul>
 *   <li>{@code GET /api/v1/videos/{id}/play}: {@code {"url", "servedBy": "edge"|"origin",
 *       "expiresAt", "edgeId", "region", "reason"}}, the master playlist on the chosen host with a
 *       signed play token as path prefix;
 *   <li>{@code GET /play/{id}.m3u8}: 302 to the same URL, for clients that can only open one (smart
 *       TVs); behind the same API-key check.
 * </ul>
 *
 * The video must be readable by the caller (owner or admin, or anyone signed in when it is {@code
 * UNLISTED} or {@code PUBLIC}, as {@code GET /api/v1/videos/{id}}): otherwise, or for a malformed
 * id, 404 {@code NOT_FOUND}. A video with no published master playlist yet: 404 {@code NOT_READY}.
 */
public final class PlayApi {
  private final MetadataStore store;
  private final ResourceManager work;
  private final PlayRouter router;
  private final ClientAddress clientAddress;
  private final PlayLinks links;
  private final SubtitleStore subtitles;

  /**
   * @param blobs where the poster is looked for
   * @param subtitles the video's subtitle tracks
   */
  public PlayApi(
      MetadataStore store,
      ResourceManager work,
      PlayRouter router,
      ClientAddress clientAddress,
      Tokens tokens,
      Duration tokenTtl,
      Clock clock,
      BlobStore blobs,
      SubtitleStore subtitles) {
    this.links = new PlayLinks(tokens, tokenTtl, clock, blobs);
    this.subtitles = requireNonNull(subtitles, "subtitles");
    this.store = requireNonNull(store, "store");
    this.work = requireNonNull(work, "work");
    this.router = requireNonNull(router, "router");
    this.clientAddress = requireNonNull(clientAddress, "clientAddress");
  }

  /** Mounts the routes; {@code /api/*} and {@code /play/*} must already be authenticated. */
  public void mount(Router r) {
    r.get("/api/v1/videos/:id/play").handler(this::play);
    r.get("/play/:file").handler(this::redirect);
  }

  private void play(RoutingContext ctx) {
    resolve(ctx, VideosApi.videoId(ctx))
        .onFailure(ctx::fail)
        .onSuccess(answer -> ApiSupport.sendJson(ctx, 200, answer));
  }

  private void redirect(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    if (!file.endsWith(".m3u8")) {
      throw VideosApi.notFound();
    }
    String raw = file.substring(0, file.length() - ".m3u8".length());
    if (!VideoId.isValid(raw)) {
      throw VideosApi.notFound();
    }
    resolve(ctx, VideoId.of(raw))
        .onFailure(ctx::fail)
        .onSuccess(
            answer ->
                ctx.response()
                    .setStatusCode(302)
                    .putHeader(HttpHeaders.LOCATION, (String) answer.get("url"))
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end());
  }

  private io.vertx.core.Future<Map<String, Object>> resolve(RoutingContext ctx, VideoId id) {
    // Empty only on /play/*, for a TV without a credential: public and unlisted videos only.
    Optional<User> user = ApiKeyAuth.optionalUser(ctx);
    InetAddress viewer =
        clientAddress
            .resolve(
                ctx.request().remoteAddress().hostAddress(),
                ctx.request().headers().getAll("X-Forwarded-For"))
            .orElseThrow(
                () -> new ApiException(ErrorCode.BAD_REQUEST, "the peer address is not an IP"));
    return ApiSupport.blocking(
        ctx,
        () -> {
          Video video =
              user.isPresent()
                  ? VideosApi.readableVideo(store, user.get(), id)
                  : VideosApi.watchableByAnyone(store, id);
          if (!VideosApi.playable(video, VideosApi.earlyRenditions(video, work.progress(id)))) {
            throw new ApiException(
                ErrorCode.NOT_READY,
                "video "
                    + id.value()
                    + " has no playable rendition yet (state "
                    + video.state()
                    + ")");
          }
          PlayRoute route = router.route(id, viewer);
          PlayLinks.Signed signed = links.sign(id);
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("url", signed.url(route.baseUrl(), id, "master.m3u8"));
          answer.put("servedBy", route.servedBy());
          answer.put("expiresAt", signed.expiresAt());
          answer.put("edgeId", route.edgeId().orElse(null));
          answer.put("region", route.region());
          answer.put("reason", route.reason());
          answer.put(
              "posterUrl",
              links.thumbnailUrl(route.baseUrl(), signed, id, PlayLinks.POSTER_SIZE).orElse(null));
          List<Map<String, Object>> tracks = new ArrayList<>();
          if (video.state() == VideoState.READY) {
            for (SubtitleTrack t : subtitles.list(id)) {
              Map<String, Object> track = new LinkedHashMap<>();
              track.put("language", t.language());
              track.put("name", t.name());
              tracks.add(track);
            }
          }
          answer.put("subtitles", tracks);
          return answer;
        });
  }
}
