package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.admin.EdgePurge;
import org.reelbox.control.admin.EdgeSummary;
import org.reelbox.control.admin.OverviewSampler;
import org.reelbox.control.cost.CostPricing;
import org.reelbox.control.cost.TrafficLedger;
import org.reelbox.control.edges.EdgeRegistry;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.VideoCounts;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.store.VideoState;
import org.reelbox.control.work.JobState;
import org.reelbox.control.work.JobStore;
import org.reelbox.control.work.JobSummary;
import org.reelbox.control.work.ResourceManager;
import org.reelbox.control.work.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin console's data (docs/web-ui.md, "Admin APIs the pages use"), admins only (403 {@code
 * FORBIDDEN} for anyone else):
 *
 * <ul>
 *   <li>{@code GET /api/v1/admin/overview}: videos by state, jobs and tasks, workers, the edges at
 *       a glance, today's and all-time traffic cost;
 *   <li>{@code GET /api/v1/admin/overview/history}: the in-memory samples of the last 24 hours
 *       ({@link OverviewSampler});
 *   <li>{@code GET /api/v1/admin/jobs?state=&offset=&limit=}: jobs newest first; a bad value is 400
 *       {@code VALIDATION_FAILED};
 *   <li>{@code GET /api/v1/admin/settings}: the effective configuration, without secrets;
 *   <li>{@code POST /api/v1/admin/videos/{id}/purge}: the video out of every edge box's cache
 *       ({@link EdgePurge}); 200 with each box's answer, whatever the boxes said.
 * </ul>
 */
public final class AdminApi {
  private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

  /** The page size of the job list when none is asked for, and the largest one. */
  static final int DEFAULT_LIMIT = 50;

  static final int MAX_LIMIT = 200;

  /** How deep the job list pages: far beyond any screen, and it bounds the database's skip. */
  static final int MAX_OFFSET = 1_000_000;

  private final VideoCounts videos;
  private final ResourceManager work;
  private final EdgeRegistry edges;
  private final TrafficLedger traffic;
  private final CostPricing pricing;
  private final OverviewSampler sampler;
  private final EdgePurge purge;
  private final Supplier<Map<String, Object>> settings;
  private final Clock clock;

  /**
   * @param settings the effective settings to show ({@code EffectiveSettings})
   */
  public AdminApi(
      VideoCounts videos,
      ResourceManager work,
      EdgeRegistry edges,
      TrafficLedger traffic,
      CostPricing pricing,
      OverviewSampler sampler,
      EdgePurge purge,
      Supplier<Map<String, Object>> settings,
      Clock clock) {
    this.videos = requireNonNull(videos, "videos");
    this.work = requireNonNull(work, "work");
    this.edges = requireNonNull(edges, "edges");
    this.traffic = requireNonNull(traffic, "traffic");
    this.pricing = requireNonNull(pricing, "pricing");
    this.sampler = requireNonNull(sampler, "sampler");
    this.purge = requireNonNull(purge, "purge");
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Mounts the routes; the router must already guard {@code /api/*}. */
  public void mount(Router router) {
    router.get("/api/v1/admin/overview").handler(this::overview);
    router.get("/api/v1/admin/overview/history").handler(this::history);
    router.get("/api/v1/admin/jobs").handler(this::jobs);
    router.get("/api/v1/admin/settings").handler(this::settings);
    router.post("/api/v1/admin/videos/:id/purge").handler(this::purge);
  }

  private static void requireAdmin(RoutingContext ctx, String what) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins " + what);
    }
  }

  private void overview(RoutingContext ctx) {
    requireAdmin(ctx, "see the overview");
    ApiSupport.blocking(ctx, this::overviewBody)
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  private Map<String, Object> overviewBody() {
    Instant now = clock.instant();
    Map<String, Object> byState = new LinkedHashMap<>();
    for (Map.Entry<VideoState, Long> e : videos.byState().entrySet()) {
      byState.put(e.getKey().name(), e.getValue());
    }
    JobStore.JobCounts jobCounts = work.jobCounts();
    EdgeSummary summary = EdgeSummary.of(edges.edges(), edges::isHealthy);
    TrafficLedger.Day today = traffic.lastDays(1).get(0);
    TrafficLedger.Totals totals = traffic.totals();

    Map<String, Object> todayJson = new LinkedHashMap<>();
    todayJson.put("day", today.day().toString());
    todayJson.putAll(CostApi.costJson(pricing, today.edgeBytes(), today.originBytes()));
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("cdnPricePerGb", pricing.cdnPricePerGb());
    cost.put("today", todayJson);
    cost.put("total", CostApi.costJson(pricing, totals.edgeBytes(), totals.originBytes()));

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("videosByState", byState);
    body.put("jobs", Map.of("running", jobCounts.running(), "queued", jobCounts.queued()));
    body.put(
        "tasks",
        Map.of(
            "queued", work.taskCount(TaskState.QUEUED),
            "running", work.taskCount(TaskState.RUNNING)));
    body.put("workers", JobsApi.workersJson(work, now));
    Map<String, Object> edgesJson = new LinkedHashMap<>();
    edgesJson.put("total", summary.total());
    edgesJson.put("healthy", summary.healthy());
    edgesJson.put("draining", summary.draining());
    edgesJson.put("hitRatio", summary.hitRatio());
    edgesJson.put("bytesServed", summary.bytesServed());
    body.put("edges", edgesJson);
    body.put("cost", cost);
    body.put("generatedAt", now);
    return body;
  }

  private void history(RoutingContext ctx) {
    requireAdmin(ctx, "see the overview");
    List<Map<String, Object>> samples = new ArrayList<>();
    for (OverviewSampler.Sample s : sampler.samples()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("at", s.at());
      json.put("runningTasks", s.runningTasks());
      json.put("queuedTasks", s.queuedTasks());
      json.put("healthyEdges", s.healthyEdges());
      json.put("edgeBytes", s.edgeBytes());
      json.put("originBytes", s.originBytes());
      json.put("hitRatio", s.hitRatio());
      samples.add(json);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("intervalSeconds", sampler.interval().toSeconds());
    body.put("samples", samples);
    ApiSupport.sendJson(ctx, 200, body);
  }

  private void jobs(RoutingContext ctx) {
    requireAdmin(ctx, "see the job list");
    Optional<JobState> state = jobState(ctx);
    int offset = QueryParams.intParam(ctx, "offset", 0, 0, MAX_OFFSET);
    int limit = QueryParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    ApiSupport.blocking(
            ctx,
            () -> {
              List<Map<String, Object>> jobs = new ArrayList<>();
              for (JobSummary j : work.jobList(state, offset, limit)) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("videoId", j.videoId().value());
                json.put("title", j.title());
                json.put("owner", j.owner());
                json.put("profile", j.profile());
                json.put("state", j.state().name());
                json.put("createdAt", j.createdAt());
                json.put("finishedAt", j.finishedAt());
                json.put("tasksDone", j.tasksDone());
                json.put("tasksTotal", j.tasksTotal());
                jobs.add(json);
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("jobs", jobs);
              body.put("offset", offset);
              body.put("limit", limit);
              return body;
            })
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  private static Optional<JobState> jobState(RoutingContext ctx) {
    List<String> values = ctx.queryParam("state");
    if (values.isEmpty() || values.get(0).isEmpty()) {
      return Optional.empty();
    }
    String raw = values.get(0);
    for (JobState s : JobState.values()) {
      if (s.name().equals(raw.toUpperCase(Locale.ROOT))) {
        return Optional.of(s);
      }
    }
    throw JsonBody.invalid(
        "state must be one of RUNNING, SUCCEEDED, FAILED, got '" + QueryParams.shorten(raw) + "'");
  }

  private void settings(RoutingContext ctx) {
    requireAdmin(ctx, "see the settings");
    ApiSupport.sendJson(ctx, 200, settings.get());
  }

  private void purge(RoutingContext ctx) {
    requireAdmin(ctx, "purge edge caches");
    String raw = ctx.pathParam("id");
    // Not looked up: a deleted video's segments may still sit on the boxes.
    if (!VideoId.isValid(raw)) {
      throw JsonBody.invalid("a video id is 11 characters of [A-Za-z0-9_-]");
    }
    VideoId id = VideoId.of(raw);
    ApiSupport.blocking(ctx, edges::edges)
        .compose(
            all ->
                Future.fromCompletionStage(purge.purge(all, id), ctx.vertx().getOrCreateContext()))
        .onFailure(ctx::fail)
        .onSuccess(
            results -> {
              List<Map<String, Object>> json = new ArrayList<>();
              int purged = 0;
              for (EdgePurge.Result r : results) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("id", r.edgeId());
                one.put("status", r.status());
                one.put("error", r.error());
                json.add(one);
                purged += r.purged() ? 1 : 0;
              }
              log.info("purge of video {}: {} of {} edges purged", id, purged, results.size());
              ApiSupport.sendJson(ctx, 200, Map.of("edges", json));
            });
  }
}
