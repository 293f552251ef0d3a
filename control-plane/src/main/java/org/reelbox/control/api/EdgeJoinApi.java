package org.reelbox.control.api;

import static java.util.Objects.requireNonNull;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reelbox.common.error.ApiException;
import org.reelbox.common.error.ErrorCode;
import org.reelbox.control.edges.EdgeJoinTokens;
import org.reelbox.control.store.User;
import org.reelbox.control.store.UserRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an ISP's edge box joins the cluster (docs/deploy.md, "An ISP edge box"):
 *
 * <ul>
 *   <li>{@code POST /api/v1/admin/edges/join-tokens} {@code {"region", "ttlMinutes"?,
 *       "originUrls"?}}, admins only: 201 {@code {"token", "region", "originUrls", "expiresAt"}}.
 *       The token is shown once. {@code ttlMinutes} defaults to 60 (1 to 10080); {@code originUrls}
 *       to this control plane's {@code originUrl};
 *   <li>{@code POST /api/v1/edges/join} {@code {"token"}}, no API key (the token is the
 *       credential): 200 {@code {"region", "originUrls", "clusterSecret"}}. Malformed or unknown
 *       token 403 {@code TOKEN_INVALID}, expired 410 {@code TOKEN_EXPIRED}, spent 409 {@code
 *       CONFLICT}. The answer carries the cluster secret: in production the control plane's URL is
 *       HTTPS (behind the load balancer), or the secret crosses the network in clear.
 * </ul>
 */
public final class EdgeJoinApi {
  private static final Logger log = LoggerFactory.getLogger(EdgeJoinApi.class);

  static final String JOIN_PATH = "/api/v1/edges/join";
  private static final int DEFAULT_TTL_MINUTES = 60;
  private static final long MAX_TTL_MINUTES = EdgeJoinTokens.MAX_TTL.toMinutes();

  private final EdgeJoinTokens tokens;
  private final String clusterSecret;
  private final String defaultOriginUrl;

  public EdgeJoinApi(EdgeJoinTokens tokens, String clusterSecret, String defaultOriginUrl) {
    this.tokens = requireNonNull(tokens, "tokens");
    this.clusterSecret = requireNonNull(clusterSecret, "clusterSecret");
    this.defaultOriginUrl = requireNonNull(defaultOriginUrl, "defaultOriginUrl");
  }

  /**
   * Mounts the join endpoint, which no API key guards: call it before {@link
   * ApiRoutes#authenticateApi}, so that this route answers before the {@code /api/*} guard runs.
   */
  public void mountPublic(Router router) {
    router
        .post(JOIN_PATH)
        .handler(ApiSupport.bodyHandler())
        .handler(this::join)
        .failureHandler(ApiFailureHandler.INSTANCE);
  }

  /** Mounts the admin endpoint; the router must already guard {@code /api/*}. */
  public void mount(Router router) {
    router.post("/api/v1/admin/edges/join-tokens").handler(this::mint);
  }

  private void mint(RoutingContext ctx) {
    User admin = ApiKeyAuth.user(ctx);
    if (admin.role() != UserRole.ADMIN) {
      throw new ApiException(ErrorCode.FORBIDDEN, "only admins mint edge join tokens");
    }
    JsonBody body = JsonBody.of(ctx).allowOnly(Set.of("region", "ttlMinutes", "originUrls"));
    String region = body.requiredString("region");
    long ttlMinutes =
        body.has("ttlMinutes") ? body.requiredLong("ttlMinutes") : DEFAULT_TTL_MINUTES;
    if (ttlMinutes < 1 || ttlMinutes > MAX_TTL_MINUTES) {
      throw JsonBody.invalid("ttlMinutes must be 1-" + MAX_TTL_MINUTES + ", got " + ttlMinutes);
    }
    List<String> originUrls =
        body.optionalStringList("originUrls").orElse(List.of(defaultOriginUrl));
    ApiSupport.blocking(
            ctx,
            () -> tokens.mint(region, originUrls, Duration.ofMinutes(ttlMinutes), admin.username()))
        .onFailure(ctx::fail)
        .onSuccess(
            minted -> {
              log.info(
                  "edge join token minted by {} for region {}, expires {}",
                  admin.username(),
                  minted.region(),
                  minted.expiresAt());
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("token", minted.token());
              answer.put("region", minted.region());
              answer.put("originUrls", minted.originUrls());
              answer.put("expiresAt", minted.expiresAt().toString());
              ApiSupport.sendJson(ctx, 201, answer);
            });
  }

  private void join(RoutingContext ctx) {
    JsonBody body = JsonBody.of(ctx).allowOnly(Set.of("token"));
    String token = body.requiredString("token");
    String from =
        ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
    ApiSupport.blocking(ctx, () -> tokens.redeem(token, from))
        .onFailure(
            e -> {
              if (e instanceof ApiException api) {
                // Never the token itself: it is a credential until it expires.
                log.warn("edge join from {} refused: {}", from, api.getMessage());
              }
              ctx.fail(e);
            })
        .onSuccess(
            grant -> {
              log.info("edge join token redeemed from {} for region {}", from, grant.region());
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("region", grant.region());
              answer.put("originUrls", grant.originUrls());
              answer.put("clusterSecret", clusterSecret);
              ApiSupport.sendJson(ctx, 200, answer);
            });
  }
}
