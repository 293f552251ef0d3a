package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.edges.EdgeHeartbeat;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.edges.EdgeRegistry;
import org.reelbox.control.popularity.BeaconLimiter;
import org.reelbox.control.popularity.Popularity;
import org.reelbox.control.popularity.RegionOf;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;

/**
 * Popularity over HTTP (docs/edges.md, "Popularity" and "Fill"):
 *
 * <ul>
 *   <li>{@code POST /api/v1/events/view} {@code {"videoId", "position"?}}, anonymous (players send
 *       it): one view of a ready video in the region of the caller's address. 204; 404 for a video
 *       that does not exist or is not ready; 400 for a bad body; 429 past the per-address limit;
 *   <li>{@code GET /api/v1/admin/popularity?region=R&limit=N}, admins only: the region's top N;
 *   <li>{@code GET /internal/edges/{id}/fill}, cluster auth: the ready videos popular in the box's
 *       registered region, best first, which the box expands to renditions and segments itself.
 * </ul>
 */
public final class PopularityApi {
  static final String VIEW_PATH = "/api/v1/events/view";
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 1000;

  private final Popularity popularity;
  private final MetadataStore store;
  private final EdgeRegistry edges;
  private final RegionOf regionOf;
  private final BeaconLimiter limiter;
  private final Clock clock;
  private final int fillLimit;

  public PopularityApi(
      Popularity popularity,
      MetadataStore store,
      EdgeRegistry edges,
      RegionOf regionOf,
      BeaconLimiter limiter,
      Clock clock,
      int fillLimit) {
    this.popularity = requireNonNull(popularity, "popularity");
    this.store = requireNonNull(store, "store");
    this.edges = requireNonNull(edges, "edges");
    this.regionOf = requireNonNull(regionOf, "regionOf");
    this.limiter = requireNonNull(limiter, "limiter");
    this.clock = requireNonNull(clock, "clock");
    if (fillLimit < 1) {
      throw new IllegalArgumentException("fillLimit must be positive: " + fillLimit);
    }
    this.fillLimit = fillLimit;
  }

  /** Mounts the anonymous beacon; call before the {@code /api/*} guard. */
  public void mountPublic(Router router) {
    router
        .post(VIEW_PATH)
        .handler(ApiSupport.bodyHandler())
        .handler(this::view)
        .failureHandler(ApiFailureHandler.INSTANCE);
  }

  /** Mounts the admin and internal routes; the router must already guard them. */
  public void mount(Router router) {
    router.get("/api/v1/admin/popularity").handler(this::top);
    router.get("/internal/edges/:id/fill").handler(this::fill);
  }

  private void view(RoutingContext ctx) {
    InetAddress client = clientAddress(ctx);
    // Before parsing or any lookup: a flood costs a map lookup, nothing more.
    if (!limiter.tryAcquire(client.getHostAddress())) {
      ctx.response().putHeader("Retry-After", "1");
      throw new ApiException(
          ErrorCode.TOO_MANY_REQUESTS, "too many view beacons from this address");
    }
    JsonBody body = JsonBody.of(ctx).allowOnly(Set.of("videoId", "position"));
    String id = body.requiredString("videoId");
    Optional<Double> position = body.optionalNumber("position");
    if (position.isPresent() && position.get() < 0) {
      throw JsonBody.invalid("position must not be negative, got " + position.get());
    }
    if (!VideoId.isValid(id)) {
      throw JsonBody.invalid("videoId must be 11 characters of A-Z a-z 0-9 - _");
    }
    VideoId video = VideoId.of(id);
    String region = regionOf.regionOf(client);
    ApiSupport.blocking(
            ctx,
            () -> {
              if (!isReady(video)) {
                return false;
              }
              popularity.recordViews(video, region, 1, clock.instant());
              return true;
            })
        .onFailure(ctx::fail)
        .onSuccess(
            recorded -> {
              if (recorded) {
                ctx.response().setStatusCode(204).end();
              } else {
                ctx.fail(new ApiException(ErrorCode.NOT_FOUND, "no such video"));
              }
            });
  }

  private static InetAddress clientAddress(RoutingContext ctx) {
    var remote = ctx.request().remoteAddress();
    try {
      // A literal address: no lookup happens.
      return InetAddress.getByName(remote == null ? "0.0.0.0" : remote.hostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address literal: " + remote, e);
    }
  }

  private boolean isReady(VideoId video) {
    return store.findVideo(video).map(Video::state).orElse(null) == VideoState.READY;
  }

  private void top(RoutingContext ctx) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins see popularity");
    }
    String region = ctx.queryParams().get("region");
    if (!EdgeHeartbeat.isRegion(region)) {
      throw JsonBody.invalid(
          "region is required: 1-64 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit");
    }
    int limit = limit(ctx.queryParams().get("limit"));
    ApiSupport.blocking(ctx, () -> answer(region, popularity.top(region, limit, clock.instant())))
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw JsonBody.invalid("limit must be an integer 1-" + MAX_LIMIT);
  }

  private void fill(RoutingContext ctx) {
    String edgeId = ctx.pathParam("id");
    if (!EdgeHeartbeat.isEdgeId(edgeId)) {
      throw JsonBody.invalid(
          "an edge id is 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    ApiSupport.blocking(
            ctx,
            () -> {
              Optional<EdgeRecord> edge = edges.find(edgeId);
              if (edge.isEmpty()) {
                return null;
              }
              String region = edge.get().region();
              // Asks for more than it lists: deleted or failed videos keep their score until it
              // decays, and are dropped here.
              List<Popularity.Ranked> ready = new ArrayList<>();
              for (Popularity.Ranked r :
                  popularity.top(region, Math.min(MAX_LIMIT, fillLimit * 2), clock.instant())) {
                if (ready.size() < fillLimit && isReady(r.video())) {
                  ready.add(r);
                }
              }
              Map<String, Object> body = answer(region, ready);
              body.put("edgeId", edgeId);
              return body;
            })
        .onFailure(ctx::fail)
        .onSuccess(
            body -> {
              if (body == null) {
                ctx.fail(
                    new ApiException(
                        ErrorCode.NOT_FOUND, "no such edge; it registers with its heartbeat"));
              } else {
                ApiSupport.sendJson(ctx, 200, body);
              }
            });
  }

  private static Map<String, Object> answer(String region, List<Popularity.Ranked> ranked) {
    List<Map<String, Object>> videos = new ArrayList<>();
    for (Popularity.Ranked r : ranked) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("videoId", r.video().value());
      v.put("score", r.score());
      videos.add(v);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", region);
    body.put("videos", videos);
    return body;
  }
}
