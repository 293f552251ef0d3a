package org.reelbox.control.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The two authenticated route trees of the control plane and what guards them:
 *
 * <ul>
 *   <li>{@code /api/*}: people and their tools, with an API key or a browser's session cookie
 *       ({@code auth.Authenticator}, which hands keys to {@link ApiKeyAuth});
 *   <li>{@code /internal/*}: other roles, with the cluster credential ({@link ClusterAuthHandler});
 *       an API key, even an admin's, does not open it.
 * </ul>
 *
 * Both read bodies of at most {@value ApiSupport#MAX_BODY_BYTES} bytes (413 {@code
 * PAYLOAD_TOO_LARGE} beyond) before authenticating, and answer every failure with an error body
 * ({@link ApiFailureHandler}). Call these before mounting the resources.
 */
public final class ApiRoutes {
  private ApiRoutes() {}

  public static void authenticateApi(Router router, Handler<RoutingContext> auth) {
    guard(router, "/api/*", auth);
  }

  /** {@code /play/*}: the smart-TV redirect, with the same credentials as {@code /api/*}. */
  public static void authenticatePlay(Router router, Handler<RoutingContext> auth) {
    guard(router, "/play/*", auth);
  }

  public static void authenticateInternal(Router router, Handler<RoutingContext> auth) {
    guard(router, "/internal/*", auth);
  }

  private static void guard(Router router, String path, Handler<RoutingContext> auth) {
    Handler<RoutingContext> small = ApiSupport.bodyHandler();
    Handler<RoutingContext> work = ApiSupport.workBodyHandler();
    router
        .route(path)
        // Work reports (a split's chunk list) may be larger than anything else the API reads.
        .handler(
            ctx -> (ctx.normalizedPath().startsWith("/internal/work/") ? work : small).handle(ctx))
        .handler(auth)
        .failureHandler(ApiFailureHandler.INSTANCE);
  }
}
