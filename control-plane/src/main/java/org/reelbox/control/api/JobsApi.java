package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.work.ResourceManager;
import org.reelbox.control.work.TaskRecord;
import org.reelbox.control.work.WorkerRecord;

/**
 * Read-only views of the resource manager for people, behind {@link ApiKeyAuth}:
 *
 * <ul>
 *   <li>{@code GET /api/v1/videos/{id}/tasks}: the video's job's tasks with state, attempt and
 *       worker (owner or admin; 404 otherwise, like the video itself);
 *   <li>{@code GET /api/v1/admin/workers}: the worker queue (admins only, else 403).
 * </ul>
 */
public final class JobsApi {
  private final MetadataStore store;
  private final ResourceManager work;

  public JobsApi(MetadataStore store, ResourceManager work) {
    this.store = requireNonNull(store, "store");
    this.work = requireNonNull(work, "work");
  }

  public void mount(Router router) {
    router.get("/api/v1/videos/:id/tasks").handler(this::tasks);
    router.get("/api/v1/admin/workers").handler(this::workers);
  }

  private void tasks(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    ApiSupport.blocking(
            ctx,
            () -> {
              VideosApi.ownedVideo(store, user, id);
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
    ApiSupport.blocking(
            ctx,
            () -> {
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
                workers.add(json);
              }
              return Map.of("workers", workers);
            })
        .onFailure(ctx::fail)
        .onSuccess(body -> ApiSupport.sendJson(ctx, 200, body));
  }
}
