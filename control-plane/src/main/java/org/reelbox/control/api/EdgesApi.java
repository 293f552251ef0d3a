package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.cost.TrafficLedger;
import org.reelbox.control.edges.EdgeHeartbeat;
import org.reelbox.control.edges.EdgeRecord;
import org.reelbox.control.edges.EdgeRegistry;
import org.reelbox.control.edges.EdgeStatsReport;
import org.reelbox.control.popularity.Popularity;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.VideoId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge registry over HTTP (docs/edges.md):
 *
 * <ul>
 *   <li>{@code POST /internal/edges/{id}/heartbeat} {@code {"region", "publicUrl", "capacityBytes",
 *       "stats": {…}}}, behind {@link ClusterAuthHandler}: 201 when it registered the box, 200 for
 *       every later heartbeat, both {@code {"id", "registered", "heartbeatTimeoutSeconds"}}. A
 *       malformed id, an unknown or missing field, a negative number or a bad URL: 400 {@code
 *       VALIDATION_FAILED}, and nothing is recorded;
 *   <li>{@code GET /api/v1/admin/edges}, admins only (else 403): every box with its last report,
 *       {@code lastSeenAt}, {@code healthy} and {@code draining};
 *   <li>{@code POST /api/v1/admin/edges/{id}/drain} and {@code …/undrain}, admins only: routing
 *       sends a draining box no new viewers; 200 with the box, 404 for an unknown id.
 * </ul>
 */
public final class EdgesApi {
  private static final Logger log = LoggerFactory.getLogger(EdgesApi.class);

  private static final Set<String> HEARTBEAT_FIELDS =
      Set.of("region", "publicUrl", "capacityBytes", "stats", "views");

  /** The most videos one heartbeat may report views of (the box sends its busiest). */
  static final int MAX_VIEWED_VIDEOS = 1000;

  /** The most views of one video one heartbeat may report: a bound, not a plausibility check. */
  static final long MAX_VIEWS_PER_VIDEO = 10_000_000;

  private static final Set<String> STATS_FIELDS = Set.copyOf(EdgeStatsReport.FIELDS);

  private final EdgeRegistry registry;
  private final TrafficLedger traffic;
  private final Popularity popularity;
  private final MetadataStore store;
  private final Clock clock;

  /**
   * @param popularity takes the views boxes report, scored in the box's region
   * @param store to drop views of videos that do not exist (a box counts what viewers ask for)
   */
  public EdgesApi(
      EdgeRegistry registry,
      TrafficLedger traffic,
      Popularity popularity,
      MetadataStore store,
      Clock clock) {
    this.registry = requireNonNull(registry, "registry");
    this.traffic = requireNonNull(traffic, "traffic");
    this.popularity = requireNonNull(popularity, "popularity");
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Mounts the routes; the router must already guard {@code /internal/*} and {@code /api/*}. */
  public void mount(Router router) {
    router.post("/internal/edges/:id/heartbeat").handler(this::heartbeat);
    router.get("/api/v1/admin/edges").handler(this::list);
    router.post("/api/v1/admin/edges/:id/drain").handler(ctx -> drain(ctx, true));
    router.post("/api/v1/admin/edges/:id/undrain").handler(ctx -> drain(ctx, false));
  }

  /** Drains a box or returns it to service: 200 with the box, 404 for an unknown id. */
  private void drain(RoutingContext ctx, boolean draining) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins drain edges");
    }
    String id = ctx.pathParam("id");
    ApiSupport.blocking(ctx, () -> registry.setDraining(id, draining))
        .onFailure(ctx::fail)
        .onSuccess(
            edge -> {
              if (edge.isEmpty()) {
                ctx.fail(new ApiException(ErrorCode.NOT_FOUND, "no edge " + id));
                return;
              }
              log.info("edge {} {}", id, draining ? "draining" : "back in service");
              ApiSupport.sendJson(ctx, 200, json(edge.get()));
            });
  }

  private void heartbeat(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx);
    EdgeHeartbeat beat = parse(ctx.pathParam("id"), body);
    Map<VideoId, Long> views = views(body);
    ApiSupport.blocking(
            ctx,
            () -> {
              EdgeRegistry.Registration registration = registry.heartbeat(beat);
              // Views count in the box's region: its viewers are that ISP's. Only videos that
              // exist, so a scan of made-up ids through a box scores nothing. A failure after
              // this point makes the box resend them (it keeps views until acknowledged); the
              // scores may then count them twice, which a decayed popularity score tolerates.
              Instant now = clock.instant();
              for (Map.Entry<VideoId, Long> v : views.entrySet()) {
                if (store.findVideo(v.getKey()).isPresent()) {
                  popularity.recordViews(v.getKey(), beat.region(), v.getValue(), now);
                }
              }
              // After the registry: a failure here answers 500 and the box beats again; the
              // ledger keeps its own last counters, so the retry books the same bytes once.
              EdgeStatsReport s = beat.stats();
              traffic.report(
                  TrafficLedger.Source.EDGE,
                  beat.edgeId(),
                  Math.addExact(s.hitBytes(), s.missBytes()),
                  s.requests());
              return registration;
            })
        .onFailure(ctx::fail)
        .onSuccess(
            registration -> {
              if (registration.registered()) {
                log.info(
                    "edge {} registered (region {}, {})",
                    beat.edgeId(),
                    beat.region(),
                    beat.publicUrl());
              }
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("id", beat.edgeId());
              answer.put("registered", registration.registered());
              answer.put("heartbeatTimeoutSeconds", registry.heartbeatTimeout().toSeconds());
              ApiSupport.sendJson(ctx, registration.registered() ? 201 : 200, answer);
            });
  }

  /** The optional {@code views} of a heartbeat, {@code {"videoId": count}}, or 400. */
  static Map<VideoId, Long> views(JsonBody body) {
    Optional<JsonBody> views = body.optionalObject("views");
    if (views.isEmpty()) {
      return Map.of();
    }
    List<String> ids = views.get().fieldNames();
    if (ids.size() > MAX_VIEWED_VIDEOS) {
      throw JsonBody.invalid(
          "views may name at most " + MAX_VIEWED_VIDEOS + " videos, got " + ids.size());
    }
    Map<VideoId, Long> out = new LinkedHashMap<>();
    for (String id : ids) {
      VideoId video;
      try {
        video = VideoId.of(id);
      } catch (IllegalArgumentException e) {
        throw JsonBody.invalid("views: " + e.getMessage());
      }
      long n = views.get().requiredLong(id);
      if (n < 1 || n > MAX_VIEWS_PER_VIDEO) {
        throw JsonBody.invalid(
            "views." + id + " must be between 1 and " + MAX_VIEWS_PER_VIDEO + ", got " + n);
      }
      out.put(video, n);
    }
    return out;
  }

  /** The heartbeat in a request, or 400 naming what is wrong with it. */
  static EdgeHeartbeat parse(String edgeId, JsonBody body) {
    if (!EdgeHeartbeat.isEdgeId(edgeId)) {
      throw JsonBody.invalid(
          "an edge id is 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    body.allowOnly(HEARTBEAT_FIELDS);
    // views are read by views(body); allowed here so that a heartbeat is one document.
    String region = body.requiredString("region");
    String publicUrl = body.requiredString("publicUrl");
    long capacityBytes = body.requiredLong("capacityBytes");
    JsonBody stats = body.requiredObject("stats").allowOnly(STATS_FIELDS);
    long[] values = new long[EdgeStatsReport.FIELDS.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = stats.requiredLong(EdgeStatsReport.FIELDS.get(i));
    }
    try {
      return new EdgeHeartbeat(
          edgeId, region, publicUrl, capacityBytes, EdgeStatsReport.of(values));
    } catch (IllegalArgumentException e) {
      throw JsonBody.invalid(e.getMessage());
    }
  }

  private Map<String, Object> json(EdgeRecord e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", e.edgeId());
    json.put("region", e.region());
    json.put("publicUrl", e.publicUrl());
    json.put("capacityBytes", e.capacityBytes());
    json.put("healthy", registry.isHealthy(e));
    json.put("errorRate", e.errorRate());
    json.put("draining", e.draining());
    json.put("lastSeenAt", e.lastSeenAt());
    json.put("firstSeenAt", e.firstSeenAt());
    json.put("heartbeats", e.heartbeats());
    json.put("stats", e.stats());
    return json;
  }

  private void list(RoutingContext ctx) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins see the edge registry");
    }
    ApiSupport.blocking(
            ctx,
            () -> {
              List<Map<String, Object>> edges = new ArrayList<>();
              for (EdgeRecord e : registry.edges()) {
                edges.add(json(e));
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("heartbeatTimeoutSeconds", registry.heartbeatTimeout().toSeconds());
              body.put("edges", edges);
              return body;
            })
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }
}
