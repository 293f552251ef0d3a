package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.reelbox.common.json.Json;
import org.reelbox.control.store.MetadataStore;
import org.reelbox.control.store.User;
import org.reelbox.control.store.Video;
import org.reelbox.control.store.VideoId;
import org.reelbox.control.work.StageProgress;
import org.reelbox.control.work.StagedProgress;

/**
 * {@code GET /api/v1/videos/{id}/events}: a video's changes as Server-Sent Events (docs/upload.md
 * §4; the format is the WHATWG HTML "Server-sent events" section).
 *
 * <pre>
 * event: state
 * id: 1767225600123456
 * data: {"id":"AbCdEfGhIjK","state":"UPLOADING",…}
 *
 * : keep-alive
 *
 * </pre>
 *
 * <p>First the current state, then every change published by {@link VideoEvents}, then the stream
 * ends after the first {@code READY} or {@code FAILED}. Once the video has a job, {@code event:
 * progress} events come too, without an {@code id}: the job's progress right after the current
 * state, then whenever its tasks move (coalesced by {@link ProgressEvents}, at most one per window,
 * 250 ms by default):
 *
 * <pre>
 * event: progress
 * data: {"jobState":"RUNNING","tasksDone":3,"tasksTotal":12,"stages":[{"stage":0,
 *        "nodes":["inspect"],"done":1,"running":0,"failed":0,"total":1},…]}
 * </pre>
 *
 * Progress carries no {@code id}: a reconnect resumes from the last state event, and the stream
 * opens with the current progress anyway. A comment line every heartbeat interval keeps proxies
 * from closing an idle stream. The {@code id} is the video's {@code updatedAt} in epoch
 * microseconds.
 *
 * <p><b>Reconnects.</b> A browser's {@code EventSource} reconnects whenever a stream ends, and
 * sends {@code Last-Event-ID}. A request with that header for a video already in a terminal state
 * gets 204 No Content, which makes {@code EventSource} stop for good instead of replaying the final
 * event forever.
 *
 * <p><b>No event is lost or repeated between the read and the subscription.</b> The stream
 * subscribes first and reads the current state second; changes that arrive before the read
 * completes are held back, and then every change is sent unless it equals the last video sent or is
 * older than it (by {@code updatedAt}: two writes may publish out of order).
 *
 * <p><b>Cleanup.</b> When the client goes away the subscription and the heartbeat timer are
 * released at once (the response's close handler), so abandoned streams leave nothing behind.
 */
public final class VideoEventsApi {
  private final MetadataStore store;
  private final VideoEvents events;
  private final Duration heartbeat;
  private final Function<VideoId, Optional<StagedProgress>> progress;

  /** A stream of state events only. */
  public VideoEventsApi(MetadataStore store, VideoEvents events, Duration heartbeat) {
    this(store, events, heartbeat, id -> Optional.empty());
  }

  /**
   * @param progress a video's job progress now (blocking), sent when a stream opens
   */
  public VideoEventsApi(
      MetadataStore store,
      VideoEvents events,
      Duration heartbeat,
      Function<VideoId, Optional<StagedProgress>> progress) {
    this.progress = requireNonNull(progress, "progress");
    this.store = requireNonNull(store, "store");
    this.events = requireNonNull(events, "events");
    this.heartbeat = requireNonNull(heartbeat, "heartbeat");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive, got " + heartbeat);
    }
  }

  /** Mounts the route; the router must already authenticate {@code /api/*}. */
  public void mount(Router router) {
    router.get("/api/v1/videos/:id/events").handler(this::open);
  }

  private void open(RoutingContext ctx) {
    User user = ApiKeyAuth.user(ctx);
    VideoId id = VideosApi.videoId(ctx);
    boolean reconnect = ctx.request().getHeader("Last-Event-ID") != null;
    Stream stream = new Stream(ctx, id);
    ApiSupport.blocking(
            ctx,
            () -> {
              Video video = VideosApi.visibleVideo(store, user, id);
              // Read after the subscription (Stream's constructor), like the video: a change
              // between the two arrives as an event.
              Optional<StagedProgress> now =
                  video.state().terminal() ? Optional.empty() : progress.apply(id);
              return new Opening(video, now);
            })
        .onComplete(result -> stream.start(result, reconnect));
  }

  private record Opening(Video video, Optional<StagedProgress> progress) {}

  /** The data of a progress event. */
  static Map<String, Object> progressJson(StagedProgress p) {
    List<Map<String, Object>> stages = new ArrayList<>();
    for (StageProgress s : p.stages()) {
      Map<String, Object> stage = new LinkedHashMap<>();
      stage.put("stage", s.stage());
      stage.put("nodes", s.nodes());
      stage.put("done", s.done());
      stage.put("running", s.running());
      stage.put("failed", s.failed());
      stage.put("total", s.total());
      stages.add(stage);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("jobState", p.jobState().name());
    json.put("tasksDone", p.tasksDone());
    json.put("tasksTotal", p.tasksTotal());
    json.put("stages", stages);
    return json;
  }

  /** One open stream. Every method runs on the request's event loop, so it needs no locks. */
  private final class Stream {
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final VideoEvents.Subscription subscription;
    private final List<Video> heldBack = new ArrayList<>();
    private StagedProgress heldBackProgress;
    private StagedProgress lastProgress;
    private boolean started;
    private boolean closed;
    private Video lastSent;
    private long timerId = -1;

    Stream(RoutingContext ctx, VideoId id) {
      this.ctx = ctx;
      this.response = ctx.response();
      Context context = ctx.vertx().getOrCreateContext();
      // Events arrive on the publisher's thread; hop to this stream's event loop.
      this.subscription =
          events.subscribe(
              id,
              video -> context.runOnContext(v -> onChange(video)),
              p -> context.runOnContext(v -> onProgress(p)));
      response.closeHandler(v -> release());
    }

    void start(AsyncResult<Opening> current, boolean reconnect) {
      if (response.closed()) {
        // Gone before the close handler was set, or while the read ran.
        release();
      }
      if (closed) {
        return;
      }
      if (current.failed()) {
        release();
        ctx.fail(current.cause());
        return;
      }
      Video video = current.result().video();
      if (reconnect && video.state().terminal()) {
        release();
        response.setStatusCode(204).end();
        return;
      }
      started = true;
      response
          .setStatusCode(200)
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          // nginx buffers responses unless told otherwise; a buffered stream shows nothing.
          .putHeader("X-Accel-Buffering", "no");
      send(video);
      current.result().progress().ifPresent(this::onProgress);
      for (Video change : heldBack) {
        onChange(change);
      }
      heldBack.clear();
      if (heldBackProgress != null) {
        onProgress(heldBackProgress);
        heldBackProgress = null;
      }
      if (!closed) {
        timerId = ctx.vertx().setPeriodic(heartbeat.toMillis(), t -> keepAlive());
      }
    }

    private void onChange(Video video) {
      if (closed) {
        return;
      }
      if (!started) {
        heldBack.add(video);
        return;
      }
      if (video.equals(lastSent) || video.updatedAt().isBefore(lastSent.updatedAt())) {
        return;
      }
      send(video);
    }

    private void onProgress(StagedProgress p) {
      if (closed) {
        return;
      }
      if (!started) {
        heldBackProgress = p; // only the latest matters
        return;
      }
      if (p.equals(lastProgress)) {
        return;
      }
      lastProgress = p;
      write("event: progress\ndata: " + Json.write(progressJson(p)) + "\n\n");
    }

    private void send(Video video) {
      lastSent = video;
      long id = ChronoUnit.MICROS.between(Instant.EPOCH, video.updatedAt());
      // Compact JSON has no line breaks (a newline in a description is the two characters \n),
      // so the whole video fits one data line.
      write("event: state\nid: " + id + "\ndata: " + Json.write(VideosApi.toJson(video)) + "\n\n");
      if (video.state().terminal()) {
        release();
        response.end();
      }
    }

    private void keepAlive() {
      if (!closed) {
        write(": keep-alive\n\n");
      }
    }

    private void write(String text) {
      // A failed write means the connection is gone; the close handler may not have run yet.
      response.write(text).onFailure(e -> release());
    }

    /** Ends the subscription and the timer; idempotent. */
    private void release() {
      if (closed) {
        return;
      }
      closed = true;
      subscription.close();
      if (timerId >= 0) {
        ctx.vertx().cancelTimer(timerId);
      }
      heldBack.clear();
      heldBackProgress = null;
    }
  }
}
