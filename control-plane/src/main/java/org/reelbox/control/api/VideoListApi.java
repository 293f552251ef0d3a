package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.reelbox.common.security.Tokens;
import org.reelbox.common.storage.BlobStore;
import org.reelbox.control.popularity.Popularity;
import org.reelbox.control.routing.ClientAddress;
import org.reelbox.control.routing.RegionStore;
import org.reelbox.control.routing.RegionTable;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.store.Visibility;

/**
 * {@code GET /api/v1/videos?scope=mine|public&sort=latest|popular&offset=&limit=}: the videos the
 * home page and the studio list, behind {@link ApiKeyAuth}. Answers {@code {"videos": [video +
 * "thumbnailUrl", "ownerName"], "offset", "limit"}}.
 *
 * <ul>
 *   <li>{@code scope=mine} (the default): the caller's own videos, in any state and visibility;
 *       {@code scope=public}: {@code PUBLIC} videos that are {@code READY}, anyone's.
 *   <li>{@code sort=latest} (the default): newest first; {@code sort=popular}: by the popularity
 *       score in the caller's region (its address through the CIDR table, as the play route finds
 *       it), then by the score in the default region; a video never viewed is not in this list.
 *       Only the best {@value #RANKED_PER_REGION} of each region are considered, which is what a
 *       home page shows.
 *   <li>{@code offset} 0 to {@value #MAX_OFFSET} (default 0), {@code limit} 1 to {@value
 *       #MAX_LIMIT} (default {@value #DEFAULT_LIMIT}); anything else, or an unknown scope or sort,
 *       is 400 {@code VALIDATION_FAILED}.
 * </ul>
 *
 * {@code thumbnailUrl} is the 640×360 thumbnail on the origin with a play token as path prefix, or
 * null when the video has none published.
 */
public final class VideoListApi {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  static final int MAX_OFFSET = 10_000;
  static final int RANKED_PER_REGION = 500;

  private final MetadataStore store;
  private final Popularity popularity;
  private final RegionStore regions;
  private final ClientAddress clientAddress;
  private final PlayLinks links;
  private final String originUrl;
  private final Clock clock;

  /**
   * @param tokens signs the thumbnails' play tokens
   * @param tokenTtl how long they live (the play route's)
   * @param blobs where the thumbnails are looked for
   * @param originUrl the origin's public base URL, without a trailing slash
   */
  public VideoListApi(
      MetadataStore store,
      Popularity popularity,
      RegionStore regions,
      ClientAddress clientAddress,
      Tokens tokens,
      Duration tokenTtl,
      BlobStore blobs,
      String originUrl,
      Clock clock) {
    this.store = requireNonNull(store, "store");
    this.popularity = requireNonNull(popularity, "popularity");
    this.regions = requireNonNull(regions, "regions");
    this.clientAddress = requireNonNull(clientAddress, "clientAddress");
    this.links = new PlayLinks(tokens, tokenTtl, clock, blobs);
    this.originUrl = requireNonNull(originUrl, "originUrl");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Mounts the route; the router must already authenticate {@code /api/*}. */
  public void mount(Router router) {
    router.get("/api/v1/videos").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    String scope = choice(ctx, "scope", "mine", Set.of("mine", "public"));
    String sort = choice(ctx, "sort", "latest", Set.of("latest", "popular"));
    int offset = number(ctx, "offset", 0, 0, MAX_OFFSET);
    int limit = number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    Optional<InetAddress> viewer =
        sort.equals("popular")
            ? clientAddress.resolve(
                ctx.request().remoteAddress().hostAddress(),
                ctx.request().headers().getAll("X-Forwarded-For"))
            : Optional.empty();
    Predicate<Video> inScope =
        scope.equals("mine")
            ? v -> v.ownerId() == user.id()
            : v -> v.visibility() == Visibility.PUBLIC && v.state() == VideoState.READY;
    ApiSupport.blocking(
            ctx,
            () -> {
              List<Video> videos;
              if (sort.equals("latest")) {
                videos =
                    scope.equals("mine")
                        ? store.listVideosByOwner(user.id(), offset, limit)
                        : store.listPublicVideos(offset, limit);
              } else {
                videos = popular(viewer, inScope, offset, limit);
              }
              List<Map<String, Object>> json = new ArrayList<>();
              Map<Long, String> ownerNames = new HashMap<>();
              for (Video v : videos) {
                Map<String, Object> entry = VideosApi.toJson(v, user);
                PlayLinks.Signed signed = links.sign(v.id());
                entry.put(
                    "thumbnailUrl",
                    links
                        .thumbnailUrl(originUrl, signed, v.id(), PlayLinks.LISTING_THUMBNAIL_SIZE)
                        .orElse(null));
                entry.put(
                    "ownerName",
                    ownerNames.computeIfAbsent(
                        v.ownerId(),
                        id -> store.findUserById(id).map(User::username).orElse(null)));
                json.add(entry);
              }
              Map<String, Object> answer = new java.util.LinkedHashMap<>();
              answer.put("videos", json);
              answer.put("offset", offset);
              answer.put("limit", limit);
              return answer;
            })
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  /** The ranked videos in scope: the viewer's region first, then the default region. */
  private List<Video> popular(
      Optional<InetAddress> viewer, Predicate<Video> inScope, int offset, int limit) {
    RegionTable table = regions.table();
    String defaultRegion = table.defaultRegion();
    String region = viewer.map(a -> table.lookup(a).region()).orElse(defaultRegion);
    LinkedHashSet<VideoId> ranked = new LinkedHashSet<>();
    var now = clock.instant();
    popularity.top(region, RANKED_PER_REGION, now).forEach(r -> ranked.add(r.video()));
    if (!region.equals(defaultRegion)) {
      popularity.top(defaultRegion, RANKED_PER_REGION, now).forEach(r -> ranked.add(r.video()));
    }
    Map<VideoId, Video> found = store.findVideos(ranked);
    List<Video> page = new ArrayList<>();
    int skipped = 0;
    for (VideoId id : ranked) {
      Video v = found.get(id);
      if (v == null || !inScope.test(v)) {
        continue;
      }
      if (skipped < offset) {
        skipped++;
        continue;
      }
      page.add(v);
      if (page.size() == limit) {
        break;
      }
    }
    return page;
  }

  private static String choice(RoutingContext ctx, String name, String dflt, Set<String> allowed) {
    String value = single(ctx, name);
    if (value == null) {
      return dflt;
    }
    if (!allowed.contains(value)) {
      throw JsonBody.invalid(
          name
              + " must be one of "
              + new java.util.TreeSet<>(allowed)
              + ", got '"
              + shorten(value)
              + "'");
    }
    return value;
  }

  private static int number(RoutingContext ctx, String name, int dflt, int min, int max) {
    String value = single(ctx, name);
    if (value == null) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw JsonBody.invalid(name + " must be a whole number, got '" + shorten(value) + "'");
    }
    if (n < min || n > max) {
      throw JsonBody.invalid(name + " must be " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  private static String single(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw JsonBody.invalid(name + " must be given at most once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static String shorten(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
