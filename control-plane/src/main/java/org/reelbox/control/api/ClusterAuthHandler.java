package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.common.security.ClusterAuth;

/**
 * Authenticates service-to-service calls ({@code /internal/*}): the request must carry {@value
 * ClusterAuth#HEADER_NAME} with the value derived from the cluster secret. Anything else, an API
 * key included, is 401 {@code UNAUTHORIZED}. The check is constant-time ({@link
 * ClusterAuth#isValid}) and needs no database.
 */
public final class ClusterAuthHandler implements Handler<RoutingContext> {
  private final ClusterAuth clusterAuth;

  public ClusterAuthHandler(ClusterAuth clusterAuth) {
    this.clusterAuth = requireNonNull(clusterAuth, "clusterAuth");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!clusterAuth.isValid(ctx.request().getHeader(ClusterAuth.HEADER_NAME))) {
      ctx.fail(
          new ApiException(
              ErrorCode.UNAUTHORIZED,
              "cluster authentication required (" + ClusterAuth.HEADER_NAME + ")"));
      return;
    }
    ctx.next();
  }
}
