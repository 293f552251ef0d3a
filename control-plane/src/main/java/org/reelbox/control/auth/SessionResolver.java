package org.reelbox.control.auth;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Finds the signed-in user of a request from its {@code reelbox_session} cookie, for the page
 * routes (which are not behind the {@code /api/*} guard).
 */
public interface SessionResolver {
  /**
   * The request's session user; empty when there is no cookie, or the session is unknown, expired,
   * ended, or its user disabled. Completes on the request's context (the lookup runs on a worker
   * thread); fails only when the database does.
   */
  Future<Optional<SessionUser>> resolve(RoutingContext ctx);
}
