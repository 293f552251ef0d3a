package org.reelbox.common.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetSocketAddress;
import java.net.URI;
import org.reelbox.common.config.HttpConfig;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorBody;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.json.Json;
import org.reelbox.common.observe.Health;
import org.reelbox.common.observe.RoleMetrics;
import org.reelbox.common.role.Closer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Vert.x roles (ingest, control plane) share: the admin endpoints and the error bodies.
 * Only these roles depend on Vert.x; {@code common} declares it optional.
 */
public final class VertxSupport {
  private static final Logger log = LoggerFactory.getLogger(VertxSupport.class);

  private VertxSupport() {}

  /**
   * Mounts {@code /healthz}, {@code /readyz} and {@code /metrics}, and error handlers that answer
   * every failure (unknown route, wrong method, a thrown {@link ApiException}, a bug) with an
   * {@link ErrorBody}.
   */
  public static void mountAdmin(Router router, Health health, RoleMetrics metrics) {
    router.get("/healthz").handler(ctx -> sendStatus(ctx, health.liveness()));
    router
        .get("/readyz")
        .handler(
            ctx ->
                ctx.vertx()
                    .executeBlocking(health::readiness, false)
                    .onSuccess(s -> sendStatus(ctx, s))
                    .onFailure(ctx::fail));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.vertx()
                    .executeBlocking(metrics::scrape, false)
                    .onSuccess(
                        text ->
                            ctx.response()
                                .putHeader(HttpHeaders.CONTENT_TYPE, RoleMetrics.CONTENT_TYPE)
                                .end(text))
                    .onFailure(ctx::fail));
    router.errorHandler(404, ctx -> sendError(ctx, ErrorCode.NOT_FOUND, "no such resource"));
    router.errorHandler(
        405, ctx -> sendError(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed here"));
    router.errorHandler(
        415, ctx -> sendError(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type"));
    router.errorHandler(
        413, ctx -> sendError(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "request body too large"));
    router.errorHandler(400, VertxSupport::handleFailure);
    router.errorHandler(500, VertxSupport::handleFailure);
  }

  /**
   * A Vert.x instance for a role, closed with it ({@code closer}): two event loops (plenty on the
   * machines we size for; the roles' blocking work runs on workers) and {@code workers} workers.
   */
  public static Vertx newVertx(Closer closer, int workers) {
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(workers));
    closer.register(() -> vertx.close().await());
    return vertx;
  }

  /**
   * Starts a Vert.x HTTP server for {@code router} on {@code http} with {@code options} (its host
   * and port are set from {@code http}), registers its close with {@code closer}, and returns its
   * base URL (the real port when the config asked for 0). Blocks until bound; call it off the event
   * loop.
   */
  public static URI listen(
      Vertx vertx, HttpServerOptions options, HttpConfig http, Router router, Closer closer) {
    HttpServer server =
        vertx
            .createHttpServer(options.setHost(http.host()))
            .requestHandler(router)
            .listen(http.port())
            .await();
    closer.register(() -> server.close().await());
    return Urls.httpBase(http.host(), new InetSocketAddress(http.host(), server.actualPort()));
  }

  private static void sendStatus(RoutingContext ctx, Health.Status s) {
    ctx.response()
        .setStatusCode(s.httpStatus())
        .putHeader(HttpHeaders.CONTENT_TYPE, HttpResponses.JSON)
        .end(Json.write(s.toJsonMap()));
  }

  /** Turns a failed routing context into an error body; unknown failures are logged as bugs. */
  public static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException e) {
      sendError(ctx, e.code(), e.getMessage());
    } else if (failure instanceof io.vertx.core.json.DecodeException
        || failure instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      sendError(ctx, ErrorCode.INVALID_JSON, "request body is not valid JSON");
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      // A bare status from a Vert.x handler (BodyHandler's 413, a router's 405, …).
      ErrorCode code = codeOf(ctx.statusCode());
      sendError(ctx, code, messageOf(code));
    } else {
      log.error(
          "unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
      sendError(ctx, ErrorCode.INTERNAL, "internal error");
    }
  }

  /** The error code of a bare 4xx status; anything unlisted is a plain 400. */
  static ErrorCode codeOf(int status) {
    return switch (status) {
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      default -> ErrorCode.BAD_REQUEST;
    };
  }

  private static String messageOf(ErrorCode code) {
    return switch (code) {
      case UNAUTHORIZED -> "authentication required";
      case FORBIDDEN -> "forbidden";
      case NOT_FOUND -> "no such resource";
      case METHOD_NOT_ALLOWED -> "method not allowed here";
      case PAYLOAD_TOO_LARGE -> "request body too large";
      case UNSUPPORTED_MEDIA_TYPE -> "unsupported content type";
      default -> "bad request";
    };
  }

  /** Answers {@code {"error": code, "message": message}} unless a response was already sent. */
  public static void sendError(RoutingContext ctx, ErrorCode code, String message) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.headWritten()) {
      response.reset();
      return;
    }
    response
        .setStatusCode(code.httpStatus())
        .putHeader(HttpHeaders.CONTENT_TYPE, HttpResponses.JSON)
        .end(ErrorBody.of(code, message).toJson());
  }
}
