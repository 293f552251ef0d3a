package org.reelbox.control.auth;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Finds the signed-in user of a request from its session cookie. The page routes use it to decide
 * between a page and a redirect to the login form; it never fails a request itself.
 */
@FunctionalInterface
public interface SessionResolver {
  /** The request's session, or empty when it has none or it expired. Never a failed future. */
  Future<Optional<SessionUser>> resolve(RoutingContext ctx);
}
