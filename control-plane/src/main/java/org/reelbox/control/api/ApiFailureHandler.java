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
 *   <li>The 413 of {@code BodyHandler} for a body over its limit: a message that names the limit.
 *       Other bare statuses keep their code through {@link VertxSupport#handleFailure}.
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
    } else if (failure == null && ctx.statusCode() == 413) {
      VertxSupport.sendError(
          ctx,
          ErrorCode.PAYLOAD_TOO_LARGE,
          "request body too large (at most " + ApiSupport.MAX_BODY_BYTES + " bytes)");
    } else {
      VertxSupport.handleFailure(ctx);
    }
  }
}
