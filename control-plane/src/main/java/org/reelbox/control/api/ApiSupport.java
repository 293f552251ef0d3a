package org.reelbox.control.api;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.Callable;
import org.reelbox.common.http.HttpResponses;
import org.reelbox.common.json.Json;

/** What the API handlers share: blocking work off the event loop, JSON answers, body limits. */
final class ApiSupport {
  /** The largest request body the API reads; a larger one is 413 {@code PAYLOAD_TOO_LARGE}. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private ApiSupport() {}

  /**
   * The largest body of the work protocol ({@code /internal/work/*}): a split's output lists every
   * chunk, and inspect's every keyframe, of a video up to six hours long.
   */
  static final int MAX_WORK_BODY_BYTES = 8 * 1024 * 1024;

  /** Reads request bodies up to {@link #MAX_BODY_BYTES}; never writes file uploads to disk. */
  static BodyHandler bodyHandler() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
  }

  /**
   * The largest body of a content upload: a thumbnail image (5 MiB) or a WebVTT file (1 MiB, and a
   * byte order mark). Both handlers check their own limit; this one bounds what is buffered.
   */
  static final int MAX_CONTENT_BODY_BYTES = 5 * 1024 * 1024;

  // PUT /api/v1/videos/{id}/thumbnail and PUT /api/v1/videos/{id}/subtitles/{lang}.
  private static final java.util.regex.Pattern CONTENT_UPLOAD =
      java.util.regex.Pattern.compile("/api/v1/videos/[^/]+/(thumbnail|subtitles/[^/]+)");

  /** Whether a request is a content upload, which may have a body up to 5 MiB. */
  static boolean isContentUpload(RoutingContext ctx) {
    return ctx.request().method() == io.vertx.core.http.HttpMethod.PUT
        && CONTENT_UPLOAD.matcher(ctx.normalizedPath()).matches();
  }

  /** Reads request bodies up to {@link #MAX_CONTENT_BODY_BYTES}. */
  static BodyHandler contentBodyHandler() {
    return BodyHandler.create(false).setBodyLimit(MAX_CONTENT_BODY_BYTES);
  }

  /** Reads request bodies up to {@link #MAX_WORK_BODY_BYTES}. */
  static BodyHandler workBodyHandler() {
    return BodyHandler.create(false).setBodyLimit(MAX_WORK_BODY_BYTES);
  }

  /**
   * Runs {@code work} on a worker thread: JDBC and bcrypt block, and an event loop must never wait.
   * Unordered, so that one slow request does not hold up the others.
   */
  static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
    return ctx.vertx().executeBlocking(work, false);
  }

  /**
   * Answers {@code body} as JSON. {@code Cache-Control: no-store} on every answer: several carry
   * credentials shown once (keys, passwords, upload URLs), and none is worth caching.
   */
  static void sendJson(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, HttpResponses.JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(Json.write(body));
  }
}
