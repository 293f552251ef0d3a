package org.reelbox.control.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.reelbox.control.auth.CookieSessions;

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
 * PAYLOAD_TOO_LARGE} beyond; more for work reports and content uploads) before authenticating, and
 * answer every failure with an error body ({@link ApiFailureHandler}). Call these before mounting
 * the resources.
 */
public final class ApiRoutes {
  private ApiRoutes() {}

  public static void authenticateApi(Router router, Handler<RoutingContext> auth) {
    guard(router, "/api/*", auth);
  }

  /**
   * {@code /play/*}: the smart-TV redirect. A request with a credential (API key, session cookie)
   * is authenticated as {@code /api/*} is, and a bad one refused; a request with none goes on
   * anonymous, because a TV opening a URL has none: the handler then serves only videos anyone may
   * watch ({@link ApiKeyAuth#optionalUser}).
   */
  public static void authenticatePlay(Router router, Handler<RoutingContext> auth) {
    guard(
        router,
        "/play/*",
        ctx -> {
          if (ApiKeyAuth.presentedKey(ctx).isEmpty()
              && ctx.request().getCookie(CookieSessions.COOKIE) == null) {
            ctx.next();
          } else {
            auth.handle(ctx);
          }
        });
  }

  public static void authenticateInternal(Router router, Handler<RoutingContext> auth) {
    guard(router, "/internal/*", auth);
  }

  private static void guard(Router router, String path, Handler<RoutingContext> auth) {
    Handler<RoutingContext> small = ApiSupport.bodyHandler();
    Handler<RoutingContext> work = ApiSupport.workBodyHandler();
    Handler<RoutingContext> content = ApiSupport.contentBodyHandler();
    router
        .route(path)
        // Work reports (a split's chunk list) and content uploads (a thumbnail image, a WebVTT
        // file) may be larger than anything else the API reads.
        .handler(
            ctx ->
                (ctx.normalizedPath().startsWith("/internal/work/")
                        ? work
                        : ApiSupport.isContentUpload(ctx) ? content : small)
                    .handle(ctx))
        .handler(auth)
        .failureHandler(ApiFailureHandler.INSTANCE);
  }
}
