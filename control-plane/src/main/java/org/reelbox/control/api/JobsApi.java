package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.pipeline.PlannedNode;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.work.JobDetail;
import org.reelbox.control.work.PlanOptionsJson;
import org.reelbox.control.work.ProfileCatalog;
import org.reelbox.control.work.ResourceManager;
import org.reelbox.control.work.TaskRecord;
import org.reelbox.control.work.WorkerRecord;

/**
 * Read-only views of the resource manager for people, behind {@link ApiKeyAuth}:
 *
 * <ul>
 *   <li>{@code GET /api/v1/videos/{id}/tasks}: the video's job's tasks with state, attempt and
 *       worker (owner or admin; 404 otherwise, like the video itself);
 *   <li>{@code GET /api/v1/videos/{id}/job}: the video's job as its DAG, the plan's nodes and the
 *       tasks made so far, each task mapped to its node (owner or admin; 404 otherwise, like the
 *       video). A video without a job yet answers its planned nodes, {@code "state": null} and no
 *       tasks;
 *   <li>{@code GET /api/v1/admin/workers}: the worker queue, each worker {@code healthy} while its
 *       last claim or renewal is younger than {@code work.workerTimeoutSeconds} (admins only, else
 *       403).
 * </ul>
 */
public final class JobsApi {
  private final MetadataStore store;
  private final ResourceManager work;
  private final ProfileCatalog profiles;
  private final Clock clock;

  public JobsApi(MetadataStore store, ResourceManager work, ProfileCatalog profiles, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.work = requireNonNull(work, "work");
    this.profiles = requireNonNull(profiles, "profiles");
    this.clock = requireNonNull(clock, "clock");
  }

  public void mount(Router router) {
    router.get("/api/v1/videos/:id/tasks").handler(this::tasks);
    router.get("/api/v1/videos/:id/job").handler(this::job);
    router.get("/api/v1/admin/workers").handler(this::workers);
  }

  private void job(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    ApiSupport.blocking(
            ctx,
            () -> {
              Video video = store.findVideo(id).orElseThrow(VideosApi::notFound);
              // Owner or admin only, whatever else may see the video: the job shows workers
              // and error messages.
              if (video.ownerId() != user.id() && user.role() != UserRole.ADMIN) {
                throw VideosApi.notFound();
              }
              Optional<JobDetail> detail = work.jobDetail(id);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("videoId", id.value());
              if (detail.isEmpty()) {
                body.put("profile", video.profile());
                body.put("state", null);
                body.put("nodes", nodesJson(plannedNodes(video)));
                body.put("tasks", List.of());
                return body;
              }
              JobDetail d = detail.get();
              body.put("profile", d.job().profile());
              body.put("state", d.job().state().name());
              body.put("nodes", nodesJson(d.nodes()));
              List<Map<String, Object>> tasks = new ArrayList<>();
              for (TaskRecord t : d.tasks()) {
                Map<String, Object> json = taskJson(t);
                json.put("node", JobDetail.nodeOf(t.taskId()));
                tasks.add(json);
              }
              body.put("tasks", tasks);
              return body;
            })
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  /** The nodes a video's job will have; none when its profile no longer plans. */
  private List<PlannedNode> plannedNodes(Video video) {
    try {
      return profiles.plan(video.profile(), PlanOptionsJson.read(video.planOptions())).nodes();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static List<Map<String, Object>> nodesJson(List<PlannedNode> nodes) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PlannedNode n : nodes) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", n.id());
      json.put("type", n.type().name());
      json.put("after", n.inputs());
      json.put("stage", n.stage());
      out.add(json);
    }
    return out;
  }

  /**
   * A task as the APIs show it. {@code attempt} is the number of the current or last run (0 before
   * the first claim), so retries are {@code attempt - 1}; {@code durationMs} is the last run's,
   * null until it finished.
   */
  private static Map<String, Object> taskJson(TaskRecord t) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", t.taskId());
    json.put("node", null);
    json.put("type", t.type().wireName());
    json.put("stage", t.stage());
    json.put("state", t.state().name());
    json.put("attempt", t.attempt());
    json.put("workerId", t.workerId());
    json.put("startedAt", t.startedAt());
    json.put("finishedAt", t.finishedAt());
    json.put(
        "durationMs",
        t.startedAt() != null && t.finishedAt() != null && !t.finishedAt().isBefore(t.startedAt())
            ? Duration.between(t.startedAt(), t.finishedAt()).toMillis()
            : null);
    json.put("errorCode", t.errorCode());
    json.put("errorMessage", t.errorMessage());
    return json;
  }

  private void tasks(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    ApiSupport.blocking(
            ctx,
            () -> {
              VideosApi.visibleVideo(store, user, id);
              List<Map<String, Object>> tasks = new ArrayList<>();
              for (TaskRecord t : work.tasksOf(id)) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("id", t.taskId());
                json.put("type", t.type().wireName());
                json.put("stage", t.stage());
                json.put("state", t.state().name());
                json.put("attempt", t.attempt());
                json.put("workerId", t.workerId());
                json.put("startedAt", t.startedAt());
                json.put("finishedAt", t.finishedAt());
                json.put("errorCode", t.errorCode());
                json.put("errorMessage", t.errorMessage());
                tasks.add(json);
              }
              return Map.of("tasks", tasks);
            })
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  private void workers(RoutingContext ctx) {
    if (ApiKeyAuth.user(ctx).role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins see the worker queue");
    }
    ApiSupport.blocking(ctx, () -> Map.of("workers", workersJson(work, clock.instant())))
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }

  /** The worker queue as the APIs show it (blocking). */
  static List<Map<String, Object>> workersJson(ResourceManager work, Instant now) {
    List<Map<String, Object>> workers = new ArrayList<>();
    for (WorkerRecord w : work.workers()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", w.info().workerId());
      json.put("host", w.info().host());
      json.put("backend", w.info().backend());
      json.put("cores", w.info().cores());
      json.put("slots", w.info().slots());
      json.put("freeSlots", w.info().freeSlots());
      json.put("hwEncoders", w.info().hwEncoders());
      json.put("version", w.info().version());
      json.put("runningTasks", w.runningTasks());
      json.put("firstSeenAt", w.firstSeenAt());
      json.put("lastSeenAt", w.lastSeenAt());
      json.put("healthy", work.workerHealthy(w.lastSeenAt(), now));
      workers.add(json);
    }
    return workers;
  }
}
