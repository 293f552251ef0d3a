package org.reelbox.control.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.http.VertxSupport;
import org.reelbox.control.store.DuplicateUsernameException;
import org.reelbox.control.store.MetadataStoreException;
import org.reelbox.control.store.UnknownUserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure handler of {@code /api/*} and {@code /internal/*}: every failure becomes {@code
 * {"error", "message"}} with the right status.
 *
 * <ul>
 *   <li>{@link org.reelbox.common.error.ApiException}, bad JSON and bugs: as {@link
 *       VertxSupport#handleFailure} answers them.
 *   <li>The store's own exceptions: a taken username is 409 {@code CONFLICT}, an unknown user 404
 *       {@code NOT_FOUND}, a database failure 503 {@code UNAVAILABLE} (logged; its message may name
 *       tables, so the client gets a generic one).
 *   <li>A bare status from a Vert.x handler, such as the 413 of {@code BodyHandler} for a body over
 *       its limit: the matching code, with a message that names the API's own limits.
 * </ul>
 */
final class ApiFailureHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ApiFailureHandler.class);

  static final ApiFailureHandler INSTANCE = new ApiFailureHandler();

  private ApiFailureHandler() {}

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof DuplicateUsernameException e) {
      VertxSupport.sendError(ctx, ErrorCode.CONFLICT, e.getMessage());
    } else if (failure instanceof UnknownUserException) {
      VertxSupport.sendError(ctx, ErrorCode.NOT_FOUND, "no such user");
    } else if (failure instanceof MetadataStoreException e) {
      log.warn("{} {}: {}", ctx.request().method(), ctx.request().path(), e.toString(), e);
      VertxSupport.sendError(
          ctx, ErrorCode.UNAVAILABLE, "the metadata database is unavailable; try again later");
    } else if (failure == null) {
      VertxSupport.sendError(ctx, codeOf(ctx.statusCode()), messageOf(ctx.statusCode()));
    } else {
      VertxSupport.handleFailure(ctx);
    }
  }

  private static ErrorCode codeOf(int status) {
    return switch (status) {
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL;
    };
  }

  private static String messageOf(int status) {
    return switch (status) {
      case 413 -> "request body too large (at most " + ApiSupport.MAX_BODY_BYTES + " bytes)";
      case 404 -> "no such resource";
      case 405 -> "method not allowed here";
      default -> status >= 400 && status < 500 ? "bad request" : "internal error";
    };
  }
}
